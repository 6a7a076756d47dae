"""Finding events for the public pages."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Event, EventKind, EventStatus
from ..timeutil import now_utc

#: Statuses the public may see.
VISIBLE = (EventStatus.PUBLISHED, EventStatus.CANCELLED)


def upcoming_events(kind: EventKind | None = None, place: str | None = None) -> list[Event]:
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
    return list(db.session.scalars(query))


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
    return sorted(db.session.scalars(query))


def public_event(slug: str) -> Event | None:
    """The event at `slug` if the public may see it (drafts are not found)."""
    query = (
        sa.select(Event)
        .where(Event.slug == slug, Event.status.in_(VISIBLE))
        .options(
            selectinload(Event.pickup_stops),
            selectinload(Event.programme),
            selectinload(Event.project),
        )
    )
    return db.session.scalar(query)
