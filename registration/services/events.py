"""Finding events for the public pages."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Event, EventStatus
from ..timeutil import now_utc

#: Statuses the public may see.
VISIBLE = (EventStatus.PUBLISHED, EventStatus.CANCELLED)


def upcoming_events() -> list[Event]:
    """Published and cancelled events that have not ended, soonest first."""
    query = (
        sa.select(Event)
        .where(Event.status.in_(VISIBLE), Event.ends_at > now_utc())
        .order_by(Event.starts_at, Event.id)
        .options(selectinload(Event.project))
    )
    return list(db.session.scalars(query))


def public_event(slug: str) -> Event | None:
    """The event at `slug` if the public may see it (drafts are not found)."""
    query = sa.select(Event).where(Event.slug == slug, Event.status.in_(VISIBLE))
    return db.session.scalar(query)
