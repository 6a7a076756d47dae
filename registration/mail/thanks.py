"""The thank-you after an event, to those who came: the feedback form's private link (while
the form is open) and the event's materials (slides, handouts).

It goes once per person (dedupe key `thanks:<registration id>:…`): when an organiser sends it,
or on its own `send_after_hours` after the event ends (the scheduler's "thanks" task calls
`queue_due_thanks`). Those marked attended later than that can be sent theirs by sending
again: the others are not written to twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from ..extensions import db
from ..i18n import clock, long_date
from ..models import AuditAction, Event, FeedbackForm, Organiser
from ..services import DomainError, NotFound, audit, documents, unit_of_work
from ..timeutil import now_utc, to_riga
from ..urls import external_url
from .messages import AUDIENCES, _audience, _to_participant, once_key
from .outbox import FEEDBACK_LINK_PLACEHOLDER


def _closes(form: FeedbackForm) -> str:
    moment = to_riga(form.closes_at - timedelta(seconds=1))
    return _("%(date)s, %(time)s", date=long_date(moment), time=clock(moment))


def queue_thanks(event: Event, now: datetime | None = None) -> int:
    """Queue the thank-you to everyone marked attended who has not had it (no commit).
    Returns how many were queued."""
    now = now or now_utc()
    form = db.session.scalar(sa.select(FeedbackForm).where(FeedbackForm.event_id == event.id))
    is_open = form is not None and form.closes_at > now
    materials = [
        (document.title, external_url("public.document_file", document_id=document.id))
        for document in documents.event_materials(event.id)
    ]
    count = 0
    for registration in _audience(event, AUDIENCES["attended"]):
        queued = _to_participant(
            registration,
            "thanks",
            lambda: _("Thank you for coming: %(title)s", title=event.title),
            "thanks",
            dedupe_key=once_key("thanks", registration),
            feedback_url=FEEDBACK_LINK_PLACEHOLDER if is_open else "",
            feedback_closes=_closes(form) if is_open and form is not None else "",
            feedback_names=form is not None and form.shows_names,
            materials=materials,
        )
        count += queued is not None
    if form is not None and form.sent_at is None:
        form.sent_at = now
    return count


def send_thanks(event_id: int, *, actor: Organiser | None) -> int:
    """An organiser sends the thank-you now; DomainError before the event has ended."""
    with unit_of_work():
        event = db.session.get(Event, event_id)
        if event is None:
            raise NotFound(_("This event was not found."))
        if event.ends_at > now_utc():
            raise DomainError(_("The thank-you can be sent once the event has ended."))
        count = queue_thanks(event)
        audit.record(AuditAction.MESSAGE_SENT, actor, event=event, audience="attended", count=count)
    return count


def queue_due_thanks(now: datetime | None = None) -> int:
    """Queue the thank-you of every event whose form says to send it by now (no commit)."""
    now = now or now_utc()
    due = db.session.scalars(
        sa.select(FeedbackForm).where(
            FeedbackForm.send_after_hours.is_not(None), FeedbackForm.sent_at.is_(None)
        )
    )
    count = 0
    for form in due:
        event = form.event
        if event.ends_at + timedelta(hours=form.send_after_hours or 0) <= now:
            count += queue_thanks(event, now)
    return count
