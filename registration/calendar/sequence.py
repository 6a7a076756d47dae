"""SEQUENCE goes up by itself whenever an event's time, place or status changes.

Calendar clients apply an update to an event they already hold only when its SEQUENCE is
higher, so every code path that moves, relocates, publishes or cancels an event must raise it.
Rather than trusting each of them to remember, a `before_flush` listener raises it once per
flush in which any of those columns really changed on an event already in the database.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import Event

#: Columns whose change calendar clients must pick up.
CALENDAR_FIELDS = ("starts_at", "ends_at", "venue_name", "venue_address", "is_online", "status")


def calendar_fields_changed(event: Event) -> bool:
    """Whether a persistent event has a real (not same-value) change to CALENDAR_FIELDS."""
    state = sa.inspect(event)
    if not state.persistent:
        return False
    for name in CALENDAR_FIELDS:
        history = state.attrs[name].history
        if not history.added:
            continue
        old = history.deleted[0] if history.deleted else None
        if history.added[0] != old:
            return True
    return False


def bump_sequence(session: Session, flush_context, instances) -> None:
    for obj in list(session.dirty):
        if isinstance(obj, Event) and calendar_fields_changed(obj):
            obj.sequence = (obj.sequence or 0) + 1


def _needs_old_value(target, value, oldvalue, initiator) -> None:
    """Does nothing; being registered with active_history=True is its whole purpose."""


def connect() -> None:
    """Install the listener (idempotent)."""
    if not sa.event.contains(Session, "before_flush", bump_sequence):
        sa.event.listen(Session, "before_flush", bump_sequence)
    for name in CALENDAR_FIELDS:
        column = getattr(Event, name)
        # active_history loads the previous value when an expired attribute is assigned, so a
        # change made right after a commit is still seen as a change (or as none).
        if not sa.event.contains(column, "set", _needs_old_value):
            sa.event.listen(column, "set", _needs_old_value, active_history=True)
