"""Finding events for the public pages."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Event, EventKind, EventStatus
from ..timeutil import now_utc
from .latvian import latvian_key

#: What an event's URL part may look like.
SLUG = re.compile(r"[A-Za-z0-9_-]{1,120}")

#: Statuses the public may see.
VISIBLE = (EventStatus.PUBLISHED, EventStatus.CANCELLED)


def upcoming_events(
    kind: EventKind | None = None, place: str | None = None, project_id: int | None = None
) -> list[Event]:
    """Published and cancelled events that have not ended, soonest first.

    One query whatever the number of events: everything the list shows is on the row.
    """
    query = (
        sa.select(Event)
        .where(Event.status.in_(VISIBLE), Event.ends_at > now_utc())
        .order_by(Event.starts_at, Event.id)
    )
    if kind is not None:
        query = query.where(Event.kind == kind)
    if place is not None:
        query = query.where(Event.place == place)
    if project_id is not None:
        query = query.where(Event.project_id == project_id)
    return list(db.session.scalars(query))


def events_version() -> tuple:
    """Changes whenever any event row changes (seat counts included) or one is deleted."""
    row = db.session.execute(
        sa.select(sa.func.count(Event.id), sa.func.max(Event.updated_at))
    ).one()
    return tuple(row)


def next_state_change(events: Sequence[Event]) -> datetime | None:
    """The next moment at which one of `events` opens, closes or ends (what lists show)."""
    now = now_utc()
    moments = [
        moment
        for event in events
        for moment in (event.registration_opens_at, event.closes_at, event.ends_at)
        if moment is not None and moment > now
    ]
    return min(moments, default=None)


def past_events(limit: int, offset: int = 0) -> list[Event]:
    query = (
        sa.select(Event)
        .where(Event.status.in_(VISIBLE), Event.ends_at <= now_utc())
        .order_by(Event.starts_at.desc(), Event.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return list(db.session.scalars(query))


def places_with_upcoming_events() -> Sequence[str]:
    query = (
        sa.select(Event.place)
        .where(Event.status.in_(VISIBLE), Event.ends_at > now_utc(), Event.place.is_not(None))
        .distinct()
    )
    return sorted_places(db.session.scalars(query))


def sorted_places(places) -> list[str]:
    """Places in Latvian alphabetical order."""
    return sorted(set(places), key=latvian_key)


def public_event(slug: str, *, with_parts: bool = False) -> Event | None:
    """The event at `slug` if the public may see it (drafts are not found); `with_parts`
    loads its project, programme and pickup stops too, for a page that shows them."""
    if not SLUG.fullmatch(slug):
        return None  # never ask the database about a malformed slug (NUL breaks PostgreSQL)
    query = sa.select(Event).where(Event.slug == slug, Event.status.in_(VISIBLE))
    if with_parts:
        query = query.options(
            selectinload(Event.project),
            selectinload(Event.programme),
            selectinload(Event.pickup_stops),
        )
    return db.session.scalar(query)
