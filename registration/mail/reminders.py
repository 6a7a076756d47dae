"""Reminders before an event: queued by `flask reminders send`, from cron or the worker loop.

Each reminder has the dedupe key `reminder:<registration id>:<event start>`, so however
often the command runs, a person gets one reminder per start time (an event moved to
another day reminds again). Only confirmed registrations of published events are reminded,
and not people who signed up after the reminder moment: their confirmation is fresh.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Event, EventStatus, OutboxMessage, Registration, RegistrationStatus
from ..timeutil import now_utc
from . import messages


def reminder_key(registration: Registration) -> str:
    return f"reminder:{registration.id}:{registration.event.starts_at.isoformat()}"


def reminder_moment(event: Event) -> datetime | None:
    if event.reminder_hours is None:
        return None
    return event.starts_at - timedelta(hours=event.reminder_hours)


def queue_due_reminders(now: datetime | None = None) -> int:
    """Queue every reminder that is due and not yet queued (no commit). Returns how many."""
    now = now or now_utc()
    events = db.session.scalars(
        sa.select(Event).where(
            Event.status == EventStatus.PUBLISHED,
            Event.reminder_hours.is_not(None),
            Event.starts_at > now,
        )
    )
    queued = 0
    for event in events:
        moment = reminder_moment(event)
        if moment is None or moment > now:
            continue
        registrations = list(
            db.session.scalars(
                sa.select(Registration)
                .where(
                    Registration.event_id == event.id,
                    Registration.status == RegistrationStatus.CONFIRMED,
                    # A seat still waiting for its address to be confirmed is not reminded.
                    sa.or_(
                        Registration.confirm_by.is_(None),
                        Registration.email_confirmed_at.is_not(None),
                    ),
                )
                .options(selectinload(Registration.pickup_stop))
                .order_by(Registration.id)
            )
        )
        keys = {reminder_key(r): r for r in registrations}
        taken = set(
            db.session.scalars(
                sa.select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.in_(keys))
            )
        )
        for key, registration in keys.items():
            if key in taken or (registration.confirmed_at or registration.queued_at) > moment:
                continue
            if messages.queue_reminder(registration, key) is not None:
                queued += 1
    return queued
