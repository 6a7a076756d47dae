"""Email the mail server refused for good, or that ran out of attempts: what organisers see
of it, and sending it again.

The outbox (`outbox.py`) owns the rows and their rules; this adds the events
they belong to and the audit entry of a retry. A retry is recorded as MESSAGE_SENT with the
detail `retried_message` (the row's id): an organiser had an email sent.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from ..extensions import db
from ..models import AuditAction, Event, Organiser, OutboxMessage, OutboxState, Registration
from ..services import NotFound, audit, unit_of_work
from . import outbox


@dataclass(frozen=True)
class FailedMessage:
    message: OutboxMessage
    #: The event it is about, if any.
    event: Event | None


def failed_messages(event_id: int | None = None) -> list[FailedMessage]:
    """Failed messages, newest first, with their events (all of them, or one event's)."""
    messages = outbox.failed(event_id=event_id)
    ids = {m.event_id for m in messages if m.event_id is not None}
    events = (
        {e.id: e for e in db.session.scalars(sa.select(Event).where(Event.id.in_(ids)))}
        if ids
        else {}
    )
    return [FailedMessage(m, events.get(m.event_id)) for m in messages]


def failed_count(event_id: int | None = None) -> int:
    """How many messages failed (for the navigation and the event page)."""
    query = sa.select(sa.func.count()).where(OutboxMessage.state == OutboxState.FAILED)
    if event_id is not None:
        query = query.where(OutboxMessage.event_id == event_id)
    return db.session.scalar(query) or 0


def retry(message_id: int, *, actor: Organiser) -> OutboxMessage:
    """Put a failed message back in the queue (a fresh set of attempts) and record who did.

    NotFound for an unknown message; DomainError for one that has not failed (it was sent
    meanwhile, or someone else pressed the button first).
    """
    with unit_of_work():
        if db.session.get(OutboxMessage, message_id) is None:
            raise NotFound(_("This message does not exist."))
        message = outbox.retry(message_id)
        registration = (
            db.session.get(Registration, message.registration_id)
            if message.registration_id is not None
            else None
        )
        event = db.session.get(Event, message.event_id) if message.event_id is not None else None
        audit.record(
            AuditAction.MESSAGE_SENT,
            actor,
            event=event,
            registration=registration,
            subject="" if event is not None else message.subject,
            retried_message=message.id,
            subject_line=message.subject,
        )
    return message
