"""Places held until the person confirms their address (double opt-in), and their release.

An event may ask people who sign up on the site to confirm their email address within
`Event.confirm_within_hours`. Until then their registration holds its seat (or its place in
the queue) as any other, with `confirm_by` set; confirmed in time, it stays; not, it is
cancelled (`CancelReason.UNCONFIRMED`) and the seat goes to the first person waiting.

The release runs under the event's lock, inside the booking rules: `booking.lock_event`
releases what is overdue before anything else reads the counters, so a seat is never lost to
an unconfirmed hold even when no worker runs; the worker loop (`opt_in.release_overdue`)
releases holds of events nobody touches. No mail goes to a released hold: its address was
never confirmed.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from ..extensions import db
from ..models import CancelReason, Event, Registration, RegistrationSource, RegistrationStatus
from ..models.registration import ACTIVE_STATUSES
from ..timeutil import now_utc


def deadline(event: Event, source: RegistrationSource, now: datetime) -> datetime | None:
    """Until when a new registration is held unconfirmed; None when no confirmation is
    asked (the event does not ask, or an organiser entered the person). Never later than the
    start of the event."""
    if event.confirm_within_hours is None or source is not RegistrationSource.ONLINE:
        return None
    return min(now + timedelta(hours=event.confirm_within_hours), event.starts_at)


def overdue(now: datetime) -> sa.ColumnElement[bool]:
    """Registrations whose hold has run out."""
    return sa.and_(
        Registration.status.in_(ACTIVE_STATUSES),
        Registration.confirm_by <= now,
        Registration.email_confirmed_at.is_(None),
    )


def release_overdue(event: Event) -> int:
    """Cancel the event's holds that ran out; returns the seats freed (the caller, holding
    the event's lock, then promotes the people waiting)."""
    now = now_utc()
    released = list(
        db.session.scalars(
            sa.select(Registration)
            .where(Registration.event_id == event.id, overdue(now))
            .execution_options(populate_existing=True)
        )
    )
    return cancel_quietly(event, released, CancelReason.UNCONFIRMED)


def cancel_quietly(event: Event, registrations: list[Registration], reason: CancelReason) -> int:
    """Cancel without the `registration_cancelled` signal, so nobody is written to (a hold
    that ran out, junk); returns the seats freed. The caller holds the event's lock and
    promotes the people waiting."""
    now = now_utc()
    seats = sum(r.status is RegistrationStatus.CONFIRMED for r in registrations)
    for registration in registrations:
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = now
        registration.cancel_reason = reason
    if seats:
        event.confirmed_count = Event.confirmed_count - seats
    db.session.flush()
    return seats
