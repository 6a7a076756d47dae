"""The funder's activity report for one project: what took place, who came, from where.

The figures follow `statistics` (the same words mean the same counts on every screen), with
what a funder asks for besides:
- only events that took place or will: published ones. Drafts and cancelled events are
  listed apart (`left_out`) and add to no figure;
- a period (from–to, Riga dates of the events' start), as funders report in stages;
- walk-ins: confirmed registrations added at check-in;
- waiting at the start: registrations that were on the waiting list when the event began
  (queued before the start, neither confirmed nor cancelled by then);
- unique people across the project, among the confirmed and among those who attended, told
  apart by address and name; a registration without an address counts as a person of its
  own (`without_address` says how many such registrations there are, so the report can say
  the true number may be lower);
- people by place of residence in Latvian alphabetical order, and by organisation (people
  who named an organisation represent it; the others took part as residents).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa

from ..extensions import db
from ..models import (
    Attendance,
    Event,
    EventKind,
    EventStatus,
    Project,
    Registration,
    RegistrationSource,
    RegistrationStatus,
)
from ..timeutil import now_utc, to_riga
from .latvian import latvian_key
from .statistics import (
    Figures,
    People,
    distinct_people,
    figures_by_event,
    not_junk,
    person_key,
    residence_of,
)

#: Kinds in the order a report lists them (think tanks first, the final event last).
KIND_ORDER = (
    EventKind.THINK_TANK,
    EventKind.SEMINAR,
    EventKind.STUDY_TRIP,
    EventKind.OTHER,
    EventKind.CONFERENCE,
)


@dataclass(frozen=True)
class Period:
    """From–to as Riga dates, both ends included; either end may be open."""

    starts_on: date | None = None
    ends_on: date | None = None

    def contains(self, moment: datetime) -> bool:
        day = to_riga(moment).date()
        if self.starts_on is not None and day < self.starts_on:
            return False
        return self.ends_on is None or day <= self.ends_on

    @property
    def is_open(self) -> bool:
        return self.starts_on is None and self.ends_on is None


@dataclass
class Activity:
    """One row of the report: an event and its figures."""

    event: Event
    figures: Figures
    walk_ins: int = 0
    waiting_at_start: int = 0
    #: The event is over, people were confirmed, and nobody's attendance was marked.
    lacks_attendance: bool = False


@dataclass
class KindTotal:
    kind: EventKind
    activities: int = 0
    figures: Figures = field(default_factory=Figures)
    walk_ins: int = 0
    waiting_at_start: int = 0


@dataclass
class PlaceCount:
    place: str
    confirmed: int = 0
    attended: int = 0
    #: Different people who attended.
    people: People = field(default_factory=People)


@dataclass
class Organisations:
    """Who took part for an organisation and who as a resident (attended registrations)."""

    representatives: int = 0
    residents: int = 0
    #: Different organisations (names compared without case and spacing).
    distinct: int = 0


@dataclass
class Report:
    project: Project
    period: Period
    activities: list[Activity]
    #: Drafts and cancelled events of the period: listed, never counted.
    left_out: list[Event]
    kinds: list[KindTotal]
    totals: Figures
    walk_ins: int
    waiting_at_start: int
    unique_confirmed: People
    unique_attended: People
    #: Registrations (confirmed, not anonymised) without an address, each counted as a person.
    without_address: int
    places: list[PlaceCount]
    organisations: Organisations

    @property
    def unmarked(self) -> list[Activity]:
        """Events that ended without attendance marked: the report cannot say who came."""
        return [a for a in self.activities if a.lacks_attendance]

    @property
    def is_empty(self) -> bool:
        return not self.activities and not self.left_out


def build(project: Project, period: Period | None = None) -> Report:
    """The report of `project` for `period` (all of it when None)."""
    period = period or Period()
    events = [e for e in _project_events(project.id) if period.contains(e.starts_at)]
    counted = [e for e in events if e.status is EventStatus.PUBLISHED]
    left_out = [e for e in events if e.status is not EventStatus.PUBLISHED]
    ids = [e.id for e in counted]
    per_event = figures_by_event(ids)
    extra = _walk_ins_and_waiting(ids)
    now = now_utc()
    activities = [
        Activity(
            event=e,
            figures=per_event[e.id],
            walk_ins=extra[e.id][0],
            waiting_at_start=extra[e.id][1],
            lacks_attendance=(
                e.ends_at <= now
                and per_event[e.id].confirmed > 0
                and not per_event[e.id].attendance_taken
            ),
        )
        for e in counted
    ]
    totals = Figures()
    for activity in activities:
        totals.add(activity.figures)
    confirmed = Registration.status == RegistrationStatus.CONFIRMED
    attended = sa.and_(confirmed, Registration.attendance == Attendance.ATTENDED)
    rows = _confirmed_rows(ids)
    return Report(
        project=project,
        period=period,
        activities=activities,
        left_out=left_out,
        kinds=kind_totals(activities),
        totals=totals,
        walk_ins=sum(a.walk_ins for a in activities),
        waiting_at_start=sum(a.waiting_at_start for a in activities),
        unique_confirmed=distinct_people(ids, confirmed),
        unique_attended=distinct_people(ids, attended),
        without_address=sum(1 for r in rows if not r.email_key and r.anonymised_at is None),
        places=count_places(rows),
        organisations=count_organisations(rows),
    )


def _project_events(project_id: int) -> list[Event]:
    query = (
        sa.select(Event).where(Event.project_id == project_id).order_by(Event.starts_at, Event.id)
    )
    return list(db.session.scalars(query))


def _walk_ins_and_waiting(event_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Per event: confirmed walk-ins, and registrations waiting when the event began."""
    result = dict.fromkeys(event_ids, (0, 0))
    if not event_ids:
        return result
    start = Event.starts_at
    walk_in = sa.and_(
        Registration.source == RegistrationSource.WALK_IN,
        Registration.status == RegistrationStatus.CONFIRMED,
    )
    not_cancelled_by_then = sa.or_(
        Registration.cancelled_at.is_(None), Registration.cancelled_at >= start
    )
    was_waiting = sa.or_(
        Registration.status == RegistrationStatus.WAITLISTED,
        # promoted after the start
        sa.and_(
            Registration.status == RegistrationStatus.CONFIRMED, Registration.confirmed_at >= start
        ),
        # never given a seat, cancelled after the start
        sa.and_(
            Registration.status == RegistrationStatus.CANCELLED,
            Registration.confirmed_at.is_(None),
        ),
    )
    waiting = sa.and_(Registration.queued_at < start, not_cancelled_by_then, was_waiting)
    query = (
        sa.select(
            Registration.event_id,
            sa.func.count().filter(walk_in),
            sa.func.count().filter(waiting),
        )
        .join(Event, Event.id == Registration.event_id)
        .where(Registration.event_id.in_(event_ids), not_junk)
        .group_by(Registration.event_id)
    )
    for event_id, walk_ins, waiting_count in db.session.execute(query):
        result[event_id] = (walk_ins, waiting_count)
    return result


def _confirmed_rows(event_ids: list[int]) -> list:
    if not event_ids:
        return []
    query = sa.select(
        Registration.id,
        Registration.email_key,
        Registration.name_key,
        Registration.place,
        Registration.place_other,
        Registration.organisation,
        Registration.attendance,
        Registration.anonymised_at,
    ).where(
        Registration.event_id.in_(event_ids), Registration.status == RegistrationStatus.CONFIRMED
    )
    return list(db.session.execute(query))


# -- pure counting, over rows already read -------------------------------------------------


def kind_totals(activities: Iterable[Activity]) -> list[KindTotal]:
    """One total per kind that took place, in `KIND_ORDER`."""
    totals: dict[EventKind, KindTotal] = {}
    for activity in activities:
        total = totals.setdefault(activity.event.kind, KindTotal(activity.event.kind))
        total.activities += 1
        total.figures.add(activity.figures)
        total.walk_ins += activity.walk_ins
        total.waiting_at_start += activity.waiting_at_start
    return [totals[kind] for kind in KIND_ORDER if kind in totals]


def count_places(rows: Iterable) -> list[PlaceCount]:
    """Confirmed and attended registrations and the different people who attended, per
    place of residence, in Latvian alphabetical order ("not given" last)."""
    counts: dict[str, PlaceCount] = {}
    people: dict[str, set[str]] = defaultdict(set)
    unknown: dict[str, int] = defaultdict(int)
    for row in rows:
        name = residence_of(row.place, row.place_other)
        count = counts.setdefault(name, PlaceCount(name))
        count.confirmed += 1
        if row.attendance is not Attendance.ATTENDED:
            continue
        count.attended += 1
        if row.anonymised_at is None:
            people[name].add(person_key(row.id, row.email_key, row.name_key))
        else:
            unknown[name] += 1
    for name, count in counts.items():
        count.people = People(counted=len(people[name]), unknown=unknown[name])
    return sorted(counts.values(), key=lambda c: (not c.place, latvian_key(c.place)))


def _organisation_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def count_organisations(rows: Iterable) -> Organisations:
    result = Organisations()
    names: set[str] = set()
    for row in rows:
        if row.attendance is not Attendance.ATTENDED:
            continue
        key = _organisation_key(row.organisation or "")
        if key:
            result.representatives += 1
            names.add(key)
        else:
            result.residents += 1
    result.distinct = len(names)
    return result
