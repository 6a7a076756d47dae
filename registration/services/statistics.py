"""Counts for the organisers and the funder: per event, per project, per place of residence.

Definitions, the same on every screen and in every download:
- registrations: everyone who ever signed up, cancelled ones included (not sign-ups removed
  as junk: nobody meant them);
- confirmed / waiting / cancelled: registrations in that state now;
- attended: confirmed registrations marked as attended at check-in;
- attendance rate: attended / confirmed, for events where attendance was taken;
- unique people: different people among the confirmed, and among those who attended. A
  person is known by their email address (trimmed, lower case); a registration without one
  (a phone sign-up, a walk-in) counts as a person of its own, since nothing tells whether
  two of them are the same person. Anonymised registrations (registration/privacy) cannot
  be told apart any more (their addresses are gone): they are reported as unknown beside
  the people counted (`People`), never as nobody.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _

from ..extensions import db
from ..models import (
    Attendance,
    CancelReason,
    Event,
    EventStatus,
    Project,
    Registration,
    RegistrationStatus,
)
from ..places import OTHER
from .latvian import latvian_key


@dataclass
class Figures:
    registrations: int = 0
    confirmed: int = 0
    waiting: int = 0
    cancelled: int = 0
    attended: int = 0
    #: Confirmed registrations in events where attendance was taken (the rate's denominator).
    checked_confirmed: int = 0
    #: Whether anyone's attendance was marked.
    attendance_taken: bool = False

    @property
    def attendance_rate(self) -> float | None:
        if not self.attendance_taken or not self.checked_confirmed:
            return None
        return self.attended / self.checked_confirmed

    def add(self, other: Figures) -> None:
        self.registrations += other.registrations
        self.confirmed += other.confirmed
        self.waiting += other.waiting
        self.cancelled += other.cancelled
        self.attended += other.attended
        self.checked_confirmed += other.checked_confirmed
        self.attendance_taken = self.attendance_taken or other.attendance_taken


@dataclass(frozen=True)
class People:
    """Different people among some registrations, as far as they can be told apart.

    `counted` people were told apart by their addresses; `unknown` registrations were
    anonymised, and who they were (new people, or some of those counted) nobody can tell.
    The true number lies between `counted` and `counted + unknown`.
    """

    counted: int = 0
    unknown: int = 0

    def __str__(self) -> str:
        """The figure as the overview and its CSV show it: never 0 for people who were there."""
        if not self.unknown:
            return str(self.counted)
        if not self.counted:
            return _("unknown (anonymised registrations: %(unknown)s)", unknown=self.unknown)
        return _(
            "%(counted)s + unknown (anonymised registrations: %(unknown)s)",
            counted=self.counted,
            unknown=self.unknown,
        )


@dataclass
class PlaceRow:
    place: str
    confirmed: int = 0
    attended: int = 0
    unique_people: People = People()


@dataclass
class Overview:
    events: list[tuple[Event, Figures]]
    totals: Figures
    unique_confirmed: People
    unique_attended: People
    places: list[PlaceRow] = field(default_factory=list)
    #: Drafts and cancelled events: listed apart, in no figure.
    left_out: list[Event] = field(default_factory=list)


not_junk = sa.or_(
    Registration.cancel_reason.is_(None), Registration.cancel_reason != CancelReason.JUNK
)


def figures_by_event(event_ids: Iterable[int]) -> dict[int, Figures]:
    """Figures for each of the events, counted in one query."""
    ids = list(event_ids)
    result = {event_id: Figures() for event_id in ids}
    if not ids:
        return result
    query = (
        sa.select(
            Registration.event_id, Registration.status, Registration.attendance, sa.func.count()
        )
        .where(Registration.event_id.in_(ids), not_junk)
        .group_by(Registration.event_id, Registration.status, Registration.attendance)
    )
    for event_id, status, attendance, count in db.session.execute(query):
        figures = result[event_id]
        figures.registrations += count
        if status is RegistrationStatus.CONFIRMED:
            figures.confirmed += count
            if attendance is Attendance.ATTENDED:
                figures.attended += count
        elif status is RegistrationStatus.WAITLISTED:
            figures.waiting += count
        else:
            figures.cancelled += count
        if attendance is not None and status is RegistrationStatus.CONFIRMED:
            figures.attendance_taken = True
    for figures in result.values():
        if figures.attendance_taken:
            figures.checked_confirmed = figures.confirmed
    return result


def _events(project: Project | None) -> list[Event]:
    query = sa.select(Event).order_by(Event.starts_at, Event.id)
    if project is not None:
        query = query.where(Event.project_id == project.id)
    return list(db.session.scalars(query))


def overview(project: Project | None = None, event: Event | None = None) -> Overview:
    """Figures for one event, one project's events, or (both None) every event.

    A project's or all events' figures count published events alone: a cancelled think tank
    took nobody in, and a draft has not happened. Those are in `left_out`.
    """
    left_out: list[Event] = []
    if event is not None:
        events = [event]
    else:
        events = _events(project)
        left_out = [e for e in events if e.status is not EventStatus.PUBLISHED]
        events = [e for e in events if e.status is EventStatus.PUBLISHED]
    per_event = figures_by_event(e.id for e in events)
    totals = Figures()
    for figures in per_event.values():
        totals.add(figures)
    ids = [e.id for e in events]
    confirmed = Registration.status == RegistrationStatus.CONFIRMED
    attended = sa.and_(confirmed, Registration.attendance == Attendance.ATTENDED)
    return Overview(
        events=[(e, per_event[e.id]) for e in events],
        totals=totals,
        unique_confirmed=distinct_people(ids, confirmed),
        unique_attended=distinct_people(ids, attended),
        places=_places(ids),
        left_out=left_out,
    )


#: Who a registration is, for counting people: the email address with the name (members of a
#: household share an address), or (without an address) the registration itself.
#: `count(DISTINCT email_key)` alone would skip everyone without email.
PERSON_KEY = sa.func.coalesce(
    sa.func.nullif(Registration.email_key, "") + sa.literal("|") + Registration.name_key,
    sa.literal("reg:") + sa.cast(Registration.id, sa.String),
)


def person_key(registration_id: int, email_key: str | None, name_key: str = "") -> str:
    """PERSON_KEY, computed in Python."""
    return f"{email_key}|{name_key}" if email_key else f"reg:{registration_id}"


def distinct_people(event_ids: list[int], condition) -> People:
    if not event_ids:
        return People()
    known = Registration.anonymised_at.is_(None)
    query = sa.select(
        # count() leaves out the NULL that the CASE gives an anonymised registration.
        sa.func.count(sa.distinct(sa.case((known, PERSON_KEY)))),
        sa.func.count(Registration.anonymised_at),
    ).where(Registration.event_id.in_(event_ids), condition)
    counted, unknown = db.session.execute(query).one()
    return People(counted=counted or 0, unknown=unknown or 0)


def residence_of(place: str, place_other: str) -> str:
    if place == OTHER:
        return place_other.strip() or OTHER
    return place or ""


def _places(event_ids: list[int]) -> list[PlaceRow]:
    """Confirmed, attended and unique people per place of residence, largest first."""
    if not event_ids:
        return []
    query = sa.select(
        Registration.place, Registration.place_other, Registration.attendance,
        Registration.id, Registration.email_key, Registration.name_key, Registration.anonymised_at,
    ).where(
        Registration.event_id.in_(event_ids), Registration.status == RegistrationStatus.CONFIRMED
    )  # fmt: skip
    rows: dict[str, PlaceRow] = {}
    people: dict[str, set[str]] = defaultdict(set)
    unknown: dict[str, int] = defaultdict(int)
    for registration in db.session.execute(query):
        name = residence_of(registration.place, registration.place_other)
        row = rows.setdefault(name, PlaceRow(place=name))
        row.confirmed += 1
        if registration.attendance is Attendance.ATTENDED:
            row.attended += 1
        if registration.anonymised_at is None:
            people[name].add(
                person_key(registration.id, registration.email_key, registration.name_key)
            )
        else:
            unknown[name] += 1
    for name, row in rows.items():
        row.unique_people = People(counted=len(people[name]), unknown=unknown[name])
    return sorted(rows.values(), key=lambda r: (-r.confirmed, latvian_key(r.place)))


def get_project(project_id: int) -> Project | None:
    return db.session.get(Project, project_id)


def projects() -> list[Project]:
    return list(
        db.session.scalars(
            sa.select(Project).order_by(Project.starts_on.desc().nulls_last(), Project.id)
        )
    )
