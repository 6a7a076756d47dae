"""SEQUENCE goes up by itself whenever an event's time, place or status changes.

Calendar clients apply an update to an event they already hold only when its SEQUENCE is
higher, so every code path that moves, relocates, publishes or cancels an event must raise it.
Rather than trusting each of them to remember, a `before_flush` listener raises it once per
flush in which any of those columns really changed on an event already in the database.

A study trip's pickup stops are part of its time and place too (a participant's own file
starts at their stop), so adding, removing or moving a stop raises SEQUENCE as well. Any change
to what a calendar file shows (those columns, the texts, the stops or the programme) dates the
event's files anew (`calendar_changed_at`, which their ETags and LAST-MODIFIED follow); a
change of the seat counter alone does not.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import has_app_context
from sqlalchemy.orm import Session

from ..models import Event, PickupStop, ProgrammeItem
from ..render_cache import recheck_soon
from ..timeutil import now_utc

#: The caches of calendar files (calendar/views.py).
CALENDAR_CACHES = ("calendar_events", "calendar_feeds")
_CHANGED = "calendar_changed"

#: Columns whose change calendar clients must pick up.
CALENDAR_FIELDS = (
    "starts_at", "ends_at", "venue_name", "venue_address", "is_online", "online_url", "status",
)  # fmt: skip
#: Other columns a calendar file shows: a change dates the files anew without moving the event.
TEXT_FIELDS = (
    "title", "summary", "description", "slug", "kind", "practical_info", "cancellation_reason",
    "project_id",
)  # fmt: skip
#: The same for a pickup stop.
STOP_FIELDS = ("departs_at", "place")
#: Rows that are printed in an event's calendar description.
EVENT_PARTS = (PickupStop, ProgrammeItem)


def _really_changed(obj, names) -> bool:
    state = sa.inspect(obj)
    for name in names:
        history = state.attrs[name].history
        if not history.added:
            continue
        old = history.deleted[0] if history.deleted else None
        if history.added[0] != old:
            return True
    return False


def calendar_fields_changed(event: Event) -> bool:
    """Whether a persistent event has a real (not same-value) change to CALENDAR_FIELDS."""
    return sa.inspect(event).persistent and _really_changed(event, CALENDAR_FIELDS)


def _parent(part: PickupStop | ProgrammeItem) -> Event | None:
    state = sa.inspect(part)
    event = part.event
    if event is None:  # taken out of its event's list: the old parent is in the history
        deleted = state.attrs.event.history.deleted
        event = deleted[0] if deleted else None
    return event


def _event_changes(session: Session, moved: set[Event], touched: set[Event]) -> None:
    """Events whose own columns, stop list or programme list changed."""
    for obj in list(session.dirty):
        if not isinstance(obj, Event):
            continue
        state = sa.inspect(obj)
        if calendar_fields_changed(obj) or state.attrs.pickup_stops.history.has_changes():
            moved.add(obj)
        if state.attrs.programme.history.has_changes() or _really_changed(obj, TEXT_FIELDS):
            touched.add(obj)


def _part_changes(session: Session, moved: set[Event], touched: set[Event]) -> None:
    """Events one of whose stops or programme items was added, edited or removed: any such
    change dates the event anew; a stop's new time or place also moves it."""
    for group, is_edit in ((session.new, False), (session.dirty, True), (session.deleted, False)):
        for obj in list(group):
            if not isinstance(obj, EVENT_PARTS):
                continue
            event = _parent(obj)
            if event is None:
                continue
            touched.add(event)
            if isinstance(obj, PickupStop) and (not is_edit or _really_changed(obj, STOP_FIELDS)):
                moved.add(event)


def bump_sequence(session: Session, flush_context, instances) -> None:
    moved: set[Event] = set()
    touched: set[Event] = set()
    with session.no_autoflush:
        _event_changes(session, moved, touched)
        _part_changes(session, moved, touched)
    for event in moved:
        if sa.inspect(event).persistent:
            event.sequence = (event.sequence or 0) + 1
    now = now_utc()
    for event in touched | moved:
        if sa.inspect(event).persistent:
            event.updated_at = event.calendar_changed_at = now
            session.info[_CHANGED] = True
    if any(isinstance(obj, Event) for obj in [*session.new, *session.deleted]):
        session.info[_CHANGED] = True


def _after_commit(session: Session) -> None:
    # This process's own visitors see its change at once; other processes within seconds.
    if session.info.pop(_CHANGED, False) and has_app_context():
        recheck_soon(*CALENDAR_CACHES)


def _after_rollback(session: Session, previous_transaction=None) -> None:
    session.info.pop(_CHANGED, None)


def _needs_old_value(target, value, oldvalue, initiator) -> None:
    """Does nothing; being registered with active_history=True is its whole purpose."""


def connect() -> None:
    """Install the listener (idempotent)."""
    for name, listener in (
        ("before_flush", bump_sequence),
        ("after_commit", _after_commit),
        ("after_soft_rollback", _after_rollback),
    ):
        if not sa.event.contains(Session, name, listener):
            sa.event.listen(Session, name, listener)
    for column in [getattr(Event, name) for name in CALENDAR_FIELDS + TEXT_FIELDS] + [
        getattr(PickupStop, name) for name in STOP_FIELDS
    ]:
        # active_history loads the previous value when an expired attribute is assigned, so a
        # change made right after a commit is still seen as a change (or as none).
        if not sa.event.contains(column, "set", _needs_old_value):
            sa.event.listen(column, "set", _needs_old_value, active_history=True)
