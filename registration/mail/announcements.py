"""An organiser writes to an event's participants: the confirmed, the waiting, everyone, those
who attended, or those who did not come.

One unit of work: a row in the outbox per person and the audit entry are saved together, and
the recipients are read inside the write transaction, so on SQLite the mail sender's commits
cannot make it fail half-way ("database is locked").
"""

from __future__ import annotations

from flask_babel import gettext as _

from ..extensions import db
from ..models import AuditAction, Event, Organiser
from ..services import NotFound, audit, unit_of_work
from .messages import queue_participant_message


def send_to_participants(
    event_id: int, audience: str, subject: str, body: str, *, actor: Organiser | None
) -> int:
    """Queue the message for everyone in `audience`; returns how many people it goes to.

    DomainError for an unknown audience or an empty subject or body (nothing is queued).
    """
    with unit_of_work():
        event = db.session.get(Event, event_id)
        if event is None:
            raise NotFound(_("This event was not found."))
        count = queue_participant_message(event, audience, subject, body, sent_by=actor)
        audit.record(
            AuditAction.MESSAGE_SENT,
            actor,
            event=event,
            audience=audience,
            count=count,
            subject_line=subject,
        )
    return count
