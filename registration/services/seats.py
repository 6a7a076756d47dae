"""Seats and the waiting list, for the booking rules that hold the event's lock.

A sign-up of several people (a person with companions) is one entry: its people get seats
together or wait together, under one place in the queue. The queue is first come, first
served (`policy.WAITING_ORDER`); an entry's people share its `queued_at` and were saved one
after another, so they stand together in that order. When the first entry waiting does not
fit the free seats, nobody behind it gets them, unless the event lets smaller groups fill the
seats (`Event.fills_with_smaller_groups`).

Every function here expects the caller's unit of work to hold the event's lock
(`lock_event`).
"""

from __future__ import annotations

import sqlalchemy as sa

from .. import signals
from ..extensions import db
from ..models import Event, EventStatus, Registration, RegistrationStatus
from ..timeutil import now_utc
from . import holds, policy

#: The most companions an event may allow, and so the largest entry in a queue.
MAX_COMPANIONS = 10
MAX_ENTRY_SIZE = MAX_COMPANIONS + 1

#: The entry a registration belongs to: its lead's id, or its own.
ENTRY_ID = sa.func.coalesce(Registration.lead_id, Registration.id)


#: An event's own columns: what `lock_event` reads again under the lock.
_EVENT_COLUMNS = tuple(column.key for column in sa.inspect(Event).column_attrs)


def lock_event(event_id: int) -> Event | None:
    """The event read fresh under its lock. Call inside `unit_of_work()`: on PostgreSQL this
    locks the row (FOR UPDATE); on SQLite the unit of work already holds the write lock.

    Only the columns are read again: what the caller loaded before (the programme and stops
    of the page it will show) stays loaded, so that page needs no query after the commit.
    Holds whose confirmation ran out are released first (see `holds.py`), so whatever
    follows sees the seats as they truly are.
    """
    event = db.session.get(Event, event_id)
    if event is None:
        return None
    db.session.refresh(event, attribute_names=_EVENT_COLUMNS, with_for_update=True)
    if event.confirm_within_hours is not None and holds.release_overdue(event):
        promote_waiting(event)
    return event


def adjust_confirmed(event: Event, delta: int) -> None:
    """Change the seat counter in the database itself (`SET n = n + 1`), at once.

    Besides the lock, this makes the `not_oversold` CHECK a real backstop: two writers can
    never both add to the same old value.
    """
    event.confirmed_count = Event.confirmed_count + delta
    db.session.flush()


def confirm(event: Event, registrations: list[Registration]) -> None:
    now = now_utc()
    for registration in registrations:
        registration.status = RegistrationStatus.CONFIRMED
        registration.confirmed_at = now
    adjust_confirmed(event, len(registrations))


def has_waiting(event_id: int) -> bool:
    query = sa.select(
        sa.exists().where(
            Registration.event_id == event_id,
            Registration.status == RegistrationStatus.WAITLISTED,
        )
    )
    return bool(db.session.scalar(query))


def _waiting_entries(event_id: int, limit: int | None) -> list[list[Registration]]:
    """The queue's entries in order (at most `limit` people read)."""
    query = (
        sa.select(Registration)
        .where(
            Registration.event_id == event_id,
            Registration.status == RegistrationStatus.WAITLISTED,
        )
        .order_by(*policy.WAITING_ORDER)
        .execution_options(populate_existing=True)
    )
    if limit is not None:
        query = query.limit(limit)
    entries: dict[int, list[Registration]] = {}
    for registration in db.session.scalars(query):
        entries.setdefault(registration.entry_id, []).append(registration)
    return list(entries.values())


def free_seats(event: Event) -> int | None:
    """Seats nobody holds; None without a limit."""
    if event.capacity is None:
        return None
    return max(event.capacity - event.confirmed_count, 0)


def first_waiting_size(event: Event) -> int | None:
    """How many people the first entry waiting has; None when nobody waits."""
    entries = _waiting_entries(event.id, MAX_ENTRY_SIZE)
    return len(entries[0]) if entries else None


def gets_seats_now(event: Event, size: int) -> bool:
    """Whether a new entry of `size` people gets seats at once: they must fit, and nobody may
    be waiting ahead of them (unless smaller groups may fill the seats, in which case every
    entry waiting is larger than the free seats already)."""
    free = free_seats(event)
    if free is not None and free < size:
        return False
    return event.fills_with_smaller_groups or not has_waiting(event.id)


def promote_waiting(event: Event) -> list[Registration]:
    """Give free seats to the entries first in the queue, each whole or not at all.

    For callers inside a unit of work that hold the event's lock (the booking rules, and an
    organiser's event edit that changes the capacity with the rest).
    """
    if event.status is not EventStatus.PUBLISHED or event.starts_at <= now_utc():
        return []
    free = free_seats(event)
    if free == 0:
        return []
    # Without skipping, the entries that can fit lie within the first `free` people; one
    # entry more shows whether the next fits.
    limit = None if free is None or event.fills_with_smaller_groups else free + MAX_ENTRY_SIZE
    promoted: list[Registration] = []
    for entry in _waiting_entries(event.id, limit):
        if free is not None and len(entry) > free:
            if event.fills_with_smaller_groups:
                continue
            break
        confirm(event, entry)
        promoted += entry
        if free is not None:
            free -= len(entry)
            if free == 0:
                break
    for registration in promoted:
        signals.registration_promoted.send(registration)
    return promoted


def waiting_position(registration: Registration) -> int | None:
    """1 for the entry next to get seats; None when not on the waiting list. The people of
    one group share their entry's number."""
    if registration.status is not RegistrationStatus.WAITLISTED:
        return None
    ahead = sa.select(sa.func.count(sa.distinct(ENTRY_ID))).where(
        Registration.event_id == registration.event_id,
        Registration.status == RegistrationStatus.WAITLISTED,
        policy.ahead_in_queue(registration),
        ENTRY_ID.is_distinct_from(registration.entry_id),
    )
    return int(db.session.scalar(ahead) or 0) + 1


def waiting_count(event_id: int) -> int:
    """Entries on the waiting list (a group counts once)."""
    query = sa.select(sa.func.count(sa.distinct(ENTRY_ID))).where(
        Registration.event_id == event_id,
        Registration.status == RegistrationStatus.WAITLISTED,
    )
    return int(db.session.scalar(query) or 0)
