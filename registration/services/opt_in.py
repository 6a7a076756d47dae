"""Double opt-in: a person confirms their address, and places not confirmed in time go back.

The rules of a held place are in `holds.py`; these are the use cases around them.
"""

from __future__ import annotations

import sqlalchemy as sa

from .. import signals
from ..extensions import db
from ..models import Event, OutboxMessage, OutboxState, Registration
from ..models.outbox import HELD_BACK
from ..models.registration import ACTIVE_STATUSES
from ..timeutil import now_utc
from . import booking, groups, holds, unit_of_work


def confirm_address(registration_id: int) -> bool:
    """The person pressed "Confirm" on their private page: their place is kept. False when
    there is no place to keep any more (it was released, or cancelled).

    The address counts as confirmed from now on: the person's other places still held are
    confirmed with it, and so are the companions they signed up (held with their place);
    messages held back from it (see `mail/unasked.py`) are sent.
    Confirming again, or a place that was never held, changes nothing. Not an error when
    too late: the release the lock has just made must be saved, not rolled back.
    """
    with unit_of_work():
        registration, _event = booking.locked_registration(registration_id)
        if not registration.is_active:
            return False
        if registration.email_confirmed_at is not None or registration.confirm_by is None:
            return True
        now = now_utc()
        others = _held_places_of(registration.email_key, now) if registration.email_key else []
        companions = [r for r in groups.companions_of(registration) if r.is_awaiting_confirmation]
        held_places = [registration, *(r for r in others if r.id != registration.id)]
        for held in [*held_places, *companions]:
            held.email_confirmed_at = now
            signals.registration_address_confirmed.send(held)
        _release_held_mail(registration.email_key)
    return True


def _held_places_of(email_key: str, now) -> list[Registration]:
    return list(
        db.session.scalars(
            sa.select(Registration).where(
                Registration.email_key == email_key,
                Registration.email_confirmed_at.is_(None),
                Registration.confirm_by > now,
                Registration.status.in_(ACTIVE_STATUSES),
            )
        )
    )


def _release_held_mail(email_key: str | None) -> None:
    """Messages held back from this address go out now; requests to confirm it are moot."""
    if not email_key:
        return
    held = sa.and_(
        OutboxMessage.state == OutboxState.FAILED,
        OutboxMessage.last_error == HELD_BACK,
        OutboxMessage.registration_id.in_(
            sa.select(Registration.id).where(Registration.email_key == email_key)
        ),
    )
    db.session.execute(
        sa.delete(OutboxMessage)
        .where(held, OutboxMessage.kind == "confirm_request")
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        sa.update(OutboxMessage)
        .where(held)
        .values(state=OutboxState.PENDING, last_error="", attempts=0, next_attempt_at=now_utc())
        .execution_options(synchronize_session=False)
    )


def release_overdue() -> int:
    """Release the holds that ran out at every event that asks for confirmation, one event
    (one unit of work) at a time; for the worker loop. Returns the events looked at."""
    event_ids = list(
        db.session.scalars(
            sa.select(Registration.event_id)
            .join(Event, Event.id == Registration.event_id)
            .where(holds.overdue(now_utc()), Event.confirm_within_hours.is_not(None))
            .distinct()
        )
    )
    for event_id in event_ids:
        with unit_of_work():
            booking.lock_event(event_id)
    return len(event_ids)
