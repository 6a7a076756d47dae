"""What a public calendar file says of an event, as plain values read in a few queries.

A feed of a thousand events is built from plain rows (one query for the events, one each for
their pickup stops, programme and projects) rather than ORM objects: no identity map, no
attribute instrumentation, no loads per relationship; loading takes a fraction of the time.
One event's file turns its loaded `Event` into the same values, so both write the same VEVENT.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Event, EventKind, EventStatus, PickupStop, ProgrammeItem, Project

#: The width of the funder's logo copy a calendar links to.
LOGO_WIDTH = 240


@dataclass(frozen=True, slots=True)
class Departure:
    """Where and when a study trip's bus leaves."""

    departs_at: datetime
    place: str


@dataclass(frozen=True, slots=True)
class ProgrammePart:
    """One part of an event's programme."""

    starts_at: datetime | None
    place: str
    description: str


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    """An event as far as its public calendar file is concerned."""

    id: int
    uid: str
    sequence: int
    slug: str
    kind: EventKind
    status: EventStatus
    title: str
    summary: str
    description: str
    starts_at: datetime
    ends_at: datetime
    venue_name: str
    venue_address: str
    is_online: bool
    practical_info: str
    cancellation_reason: str
    created_at: datetime
    updated_at: datetime
    calendar_changed_at: datetime
    cancelled_at: datetime | None
    #: A study trip's departures (other events have none).
    pickup_stops: tuple[Departure, ...] = ()
    programme: tuple[ProgrammePart, ...] = ()
    #: The project's funding line, printed on every file of its events ("" when none).
    funding_line: str = ""
    #: The stored file name of the funder's logo copy ("" when none).
    funder_logo: str = ""

    @property
    def is_trip(self) -> bool:
        return self.kind is EventKind.STUDY_TRIP

    @property
    def is_cancelled(self) -> bool:
        return self.status is EventStatus.CANCELLED

    @classmethod
    def of(cls, event: Event) -> CalendarEvent:
        """The values of an event already loaded as an ORM object."""
        funding_line, logo = _publicity(event.project)
        return cls(
            **{name: getattr(event, name) for name in _EVENT_FIELDS},
            pickup_stops=tuple(Departure(s.departs_at, s.place) for s in event.pickup_stops)
            if event.is_trip
            else (),
            programme=tuple(
                ProgrammePart(item.starts_at, item.place, item.description)
                for item in event.programme
            ),
            funding_line=funding_line,
            funder_logo=logo,
        )


#: The event's own columns a calendar file uses (the rest of CalendarEvent comes from others).
EVENT_COLUMNS = (
    Event.id,
    Event.uid,
    Event.sequence,
    Event.slug,
    Event.kind,
    Event.status,
    Event.title,
    Event.summary,
    Event.description,
    Event.starts_at,
    Event.ends_at,
    Event.venue_name,
    Event.venue_address,
    Event.is_online,
    Event.practical_info,
    Event.cancellation_reason,
    Event.created_at,
    Event.updated_at,
    Event.calendar_changed_at,
    Event.cancelled_at,
)
_EVENT_FIELDS = tuple(column.key for column in EVENT_COLUMNS)


def calendar_events(
    conditions: list[sa.ColumnElement[bool]], order_by: tuple = (Event.starts_at, Event.id)
) -> list[CalendarEvent]:
    """The events matching `conditions`, in order, with stops, programme and publicity."""
    # Core execution on the session's connection: plain rows, no ORM result machinery.
    connection = db.session.connection()
    rows = connection.execute(
        sa.select(*EVENT_COLUMNS, Event.project_id).where(*conditions).order_by(*order_by)
    ).all()
    if not rows:
        return []
    chosen = sa.select(Event.id).where(*conditions).scalar_subquery()
    stops: defaultdict[int, list[Departure]] = defaultdict(list)
    if any(row.kind is EventKind.STUDY_TRIP for row in rows):
        for event_id, departs_at, place in connection.execute(
            sa.select(PickupStop.event_id, PickupStop.departs_at, PickupStop.place)
            .where(PickupStop.event_id.in_(chosen))
            .order_by(PickupStop.event_id, PickupStop.position)
        ):
            stops[event_id].append(Departure(departs_at, place))
    programme: defaultdict[int, list[ProgrammePart]] = defaultdict(list)
    for event_id, starts_at, place, description in connection.execute(
        sa.select(
            ProgrammeItem.event_id,
            ProgrammeItem.starts_at,
            ProgrammeItem.place,
            ProgrammeItem.description,
        )
        .where(ProgrammeItem.event_id.in_(chosen))
        .order_by(ProgrammeItem.event_id, ProgrammeItem.position)
    ):
        programme[event_id].append(ProgrammePart(starts_at, place, description))
    publicity = _project_publicity({row.project_id for row in rows} - {None})
    events = []
    for row in rows:
        values = row._asdict()
        funding_line, logo = publicity.get(values.pop("project_id"), ("", ""))
        events.append(
            CalendarEvent(
                **values,
                pickup_stops=tuple(stops.get(row.id, ()))
                if row.kind is EventKind.STUDY_TRIP
                else (),
                programme=tuple(programme.get(row.id, ())),
                funding_line=funding_line,
                funder_logo=logo,
            )
        )
    return events


def _project_publicity(project_ids: set[int]) -> dict[int, tuple[str, str]]:
    """Each project's funding line and logo file (projects are few: plain ORM is fine)."""
    if not project_ids:
        return {}
    found = db.session.scalars(
        sa.select(Project)
        .where(Project.id.in_(project_ids))
        .options(selectinload(Project.funder_logo))
    )
    return {project.id: _publicity(project) for project in found}


def _publicity(project: Project | None) -> tuple[str, str]:
    if project is None:
        return "", ""
    logo = project.funder_logo
    return project.funding_line or "", logo.rendition_name(LOGO_WIDTH) if logo else ""
