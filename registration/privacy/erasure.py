"""Erasing one person's data on their request, sooner than the retention period would.

One unit of work: the registration is cancelled if it still holds a place in an event that
has not ended (the seat goes to the queue), anonymised as the retention rules do it, every
message to it deleted, and the erasure written to the audit log without the name. The counts
of an event that has ended stay exactly as they were: status, attendance and the configured
place of residence are kept, as `retention.anonymise_expired` keeps them.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from flask_babel import gettext as _

from ..extensions import db
from ..models import AuditAction, Organiser, OutboxMessage, Registration
from ..services import NotFound, audit, booking, unit_of_work
from ..timeutil import now_utc
from .retention import delete_answers, delete_feedback, delete_messages, erased_values

logger = logging.getLogger(__name__)


def erase_registration(registration_id: int, *, actor: Organiser | None) -> bool:
    """Erase the person's data (GDPR); False when there was nothing left to erase."""
    with unit_of_work():
        registration = db.session.get(Registration, registration_id, populate_existing=True)
        if registration is None:
            raise NotFound(_("This registration was not found."))
        if registration.is_anonymised:
            return False
        if registration.is_active and not registration.event.is_past:
            booking.cancel(registration_id, by_organiser=True)
        delete_answers(sa.select(Registration.id).where(Registration.id == registration_id))
        delete_feedback(sa.select(Registration.id).where(Registration.id == registration_id))
        db.session.execute(
            sa.update(Registration)
            .where(Registration.id == registration_id)
            .values(**erased_values(now_utc()))
            .execution_options(synchronize_session=False)
        )
        message_ids = list(
            db.session.scalars(
                sa.select(OutboxMessage.id).where(OutboxMessage.registration_id == registration_id)
            )
        )
        delete_messages(message_ids)
        audit.record(
            AuditAction.REGISTRATION_CHANGED,
            actor,
            registration=registration,
            fields=["erased"],
        )
    db.session.expire_all()
    logger.info(
        "erased registration %s on request; deleted %s messages", registration_id, len(message_ids)
    )
    return True
