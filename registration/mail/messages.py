"""Which emails go to whom, queued into the outbox in the current transaction (no commit).

The messages a booking causes are queued unwritten and written by the sender, outside the
booking's lock (`composer.py`); the others (reminders, event changes, organisers' messages,
the thank-you) are rendered here from `templates/email/<name>.txt` and `.html` inside
`force_locale(registration.language)`. Links to the private manage page are written as a
placeholder that the sender fills in (see `outbox.MANAGE_LINK_PLACEHOLDER`), so no working
token is stored.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from typing import Any

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _
from markupsafe import Markup, escape

from ..extensions import db
from ..models import (
    Attendance,
    Event,
    Organiser,
    Registration,
    RegistrationStatus,
)
from ..services import DomainError
from ..timeutil import now_utc
from . import composer, outbox, unasked

logger = logging.getLogger(__name__)

#: Headers of messages the system writes on its own (RFC 3834): auto-responders stay quiet.
AUTOMATIC = {"Auto-Submitted": "auto-generated"}

#: Who a message to participants goes to: a condition on the event's registrations. "Did
#: not come" are those who held a seat and were not marked attended at check-in.
AUDIENCES: dict[str, sa.ColumnElement[bool]] = {
    "confirmed": Registration.status == RegistrationStatus.CONFIRMED,
    "waitlisted": Registration.status == RegistrationStatus.WAITLISTED,
    "all": Registration.status.in_((RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)),
    "attended": sa.and_(
        Registration.status != RegistrationStatus.CANCELLED,
        Registration.attendance == Attendance.ATTENDED,
    ),
    "absent": sa.and_(
        Registration.status == RegistrationStatus.CONFIRMED,
        sa.or_(Registration.attendance.is_(None), Registration.attendance != Attendance.ATTENDED),
    ),
}

# --- Writing and queuing ----------------------------------------------------------------


def _held_back(registration: Registration, kind: str) -> bool:
    """Whether the sign-up form's message must wait (`unasked.py`); counts it otherwise."""
    held_back = not unasked.may_send(registration, kind)
    if held_back:
        logger.info(
            "a %s message of registration %s held back: the address is not confirmed and "
            "had its messages for now",
            kind,
            registration.id,
        )
    return held_back


def _to_participant(
    registration: Registration,
    kind: str,
    subject: str | Callable[[], str],
    template: str,
    *,
    with_calendar: bool = False,
    dedupe_key: str | None = None,
    headers: dict[str, str] | None = None,
    sent_by: Organiser | None = None,
    **context: Any,
):
    """Render in the person's language and queue. A callable subject is translated there too.

    Nothing is queued for a registration without an address (a phone sign-up). A message
    the sign-up form caused is held back when its unconfirmed address had its share
    (`unasked.py`).
    """
    if "@" not in (registration.email or ""):
        return None
    if dedupe_key is not None and outbox.key_taken(dedupe_key):
        return None  # queued before: nothing new is sent, so nothing is counted
    held_back = _held_back(registration, kind)
    event = registration.event
    with force_locale(composer.language(registration.language)):
        subject_text = subject() if callable(subject) else subject
        text, html = composer.render(
            template,
            subject=subject_text,
            **{**composer.event_context(event, registration), **context},
        )
    return outbox.queue(
        kind=kind,
        recipient=registration.email,
        recipient_name=registration.full_name,
        subject=subject_text,
        text=text,
        html=html,
        reply_to=event.contact_email,
        headers=AUTOMATIC if headers is None else headers,
        attachments=[composer.calendar_attachment(registration)] if with_calendar else [],
        registration=registration,
        event=event,
        sent_by=sent_by,
        dedupe_key=dedupe_key,
        has_manage_link=True,
        held_back=held_back,
    )


# --- Messages to one person ------------------------------------------------------------------


def once_key(what: str, registration: Registration) -> str:
    """The dedupe key of a once-only message about a registration.

    The registration's random nonce is in it besides its id: SQLite may give a new row the id
    of a deleted one, and a key left by that one must not silence the new person's mail.
    """
    return f"{what}:{registration.id}:{registration.manage_nonce[:8]}"


def _unwritten(
    registration: Registration,
    kind: str,
    *,
    dedupe_key: str | None = None,
    new_registration: bool = False,
    extra: dict | None = None,
):
    """Queue a message the booking causes, to be written when it is sent (`composer.py`).

    Nothing is queued for a registration without an address. Held back (`unasked.py`), it is
    written at once: it waits under undelivered email, where organisers read its subject.
    For a registration made in this transaction its keys cannot be taken yet, so they are not
    looked up (the booking holds the event's lock meanwhile).
    """
    if "@" not in (registration.email or ""):
        return None
    if dedupe_key is not None and not new_registration and outbox.key_taken(dedupe_key):
        return None  # queued before: nothing new is sent, so nothing is counted
    held_back = _held_back(registration, kind)
    message = outbox.queue(
        kind=kind,
        recipient=registration.email,
        recipient_name=registration.full_name,
        reply_to=registration.event.contact_email,
        headers=AUTOMATIC,
        # Its calendar file is listed when it is written (composer.py), unless written now.
        attachments=composer.attachments(kind, registration) if held_back else [],
        registration=registration,
        event=registration.event,
        dedupe_key=dedupe_key,
        has_manage_link=True,
        held_back=held_back,
        writing_context=extra or {},
        new_key=new_registration,
    )
    if message is not None and held_back:
        outbox.keep_written(message, *composer.write(kind, registration, extra))
    return message


def queue_confirmation(registration: Registration, *, new_registration: bool = False):
    return _unwritten(
        registration,
        "confirmation",
        dedupe_key=once_key("created", registration),
        new_registration=new_registration,
    )


def queue_waitlisted(registration: Registration, *, new_registration: bool = False):
    return _unwritten(
        registration,
        "waitlisted",
        dedupe_key=once_key("created", registration),
        new_registration=new_registration,
    )


def queue_confirm_request(registration: Registration, *, new_registration: bool = False):
    """Ask a person who signed up to confirm their address (double opt-in) by a deadline."""
    return _unwritten(
        registration,
        "confirm_request",
        dedupe_key=once_key("confirm-request", registration),
        new_registration=new_registration,
    )


def queue_promoted(registration: Registration):
    return _unwritten(registration, "promoted")


def queue_cancelled(registration: Registration, *, by_organiser: bool = False):
    return _unwritten(
        registration,
        "cancelled",
        dedupe_key=once_key("cancelled", registration),
        extra={"by_organiser": by_organiser},
    )


def queue_duplicate(registration: Registration, *, now=None):
    """Someone signed up again with this address: send the existing link, at most hourly.

    The hourly key stops the form from being used to flood a person's mailbox.
    """
    hour = (now or now_utc()).strftime("%Y%m%d%H")
    return _unwritten(
        registration, "duplicate", dedupe_key=once_key(f"duplicate-{hour}", registration)
    )


def queue_reminder(registration: Registration, dedupe_key: str):
    return _to_participant(
        registration,
        "reminder",
        lambda: _(
            "Reminder: %(title)s, %(when)s",
            title=registration.event.title,
            when=composer.when(registration.event),
        ),
        "reminder",
        dedupe_key=dedupe_key,
    )


def queue_organiser_notice(registration: Registration, *, new_registration: bool = False):
    """Tell the event's contact about a new sign-up, in the site's default language; written
    when sent (`composer.organiser_notice`)."""
    event = registration.event
    if not event.contact_email:
        return None
    return outbox.queue(
        kind=composer.ORGANISER_NOTICE,
        recipient=event.contact_email,
        recipient_name=event.contact_name,
        # The organiser's "reply" writes to the person who signed up.
        reply_to=registration.email,
        headers=AUTOMATIC,
        registration=registration,
        event=event,
        dedupe_key=once_key("organiser-notice", registration),
        writing_context={},
        new_key=new_registration,
    )


# --- Messages to many --------------------------------------------------------------------------


def _registrations(event: Event, statuses: Iterable[RegistrationStatus]) -> list[Registration]:
    return _audience(event, Registration.status.in_(tuple(statuses)))


def _audience(event: Event, condition: sa.ColumnElement[bool]) -> list[Registration]:
    return list(
        db.session.scalars(
            sa.select(Registration)
            .where(Registration.event_id == event.id, condition)
            .order_by(Registration.id)
        )
    )


def audience_sizes(event: Event) -> dict[str, int]:
    """How many people each audience of a message holds, by its key in AUDIENCES."""
    return {
        key: db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Registration)
            .where(Registration.event_id == event.id, condition)
        )
        for key, condition in AUDIENCES.items()
    }


def queue_event_changed(event: Event, changes: Iterable[str] = ()) -> int:
    """Everyone confirmed gets the new time or place and the updated .ics."""
    changes = set(changes)
    count = 0
    for registration in _registrations(event, (RegistrationStatus.CONFIRMED,)):
        queued = _to_participant(
            registration,
            "event_changed",
            lambda: _("Changed: %(title)s", title=event.title),
            "event_changed",
            with_calendar=True,
            time_changed=bool(changes & {"starts_at", "ends_at"}) or not changes,
            place_changed=bool(
                changes & {"venue_name", "venue_address", "place", "is_online", "online_url"}
            )
            or not changes,
        )
        count += queued is not None
    return count


def queue_event_cancelled(event: Event) -> int:
    """Everyone registered (confirmed or waiting) is told, with a STATUS:CANCELLED .ics."""
    count = 0
    for registration in _registrations(
        event, (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)
    ):
        queued = _to_participant(
            registration,
            "event_cancelled",
            lambda: _("Cancelled: %(title)s", title=event.title),
            "event_cancelled",
            with_calendar=True,
            dedupe_key=once_key("event-cancelled", registration),
        )
        count += queued is not None
    return count


def queue_participant_message(
    event: Event,
    audience: str,
    subject: str,
    body: str,
    *,
    sent_by: Organiser | None = None,
) -> int:
    """An organiser's message to one of the event's AUDIENCES (the confirmed, the waiting,
    everyone registered, those who attended, those who did not come).

    The subject and body go out as typed (the body as plain text, and as HTML with its
    paragraphs kept); greeting and footer follow each person's language. Nothing is
    committed. Returns how many messages were queued.
    """
    if audience not in AUDIENCES:
        raise DomainError(_("Choose who the message is for."))
    subject = outbox.one_line(subject)
    body = (body or "").strip()
    if not subject or not body:
        raise DomainError(_("Write a subject and a message."))
    if len(subject) > 200:
        raise DomainError(_("The subject is too long (at most 200 characters)."))
    count = 0
    for registration in _audience(event, AUDIENCES[audience]):
        queued = _to_participant(
            registration,
            "participant_message",
            subject,
            "participant_message",
            # Written by a person, not automatic: auto-replies (holidays) may answer it.
            headers={},
            sent_by=sent_by,
            body=body,
            body_html=_paragraphs(body),
        )
        count += queued is not None
    return count


def _paragraphs(text: str) -> Markup:
    """Plain text as HTML paragraphs, line breaks kept, everything escaped."""
    blocks = [block.strip() for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n"))]
    return Markup("\n").join(
        Markup("<p>{}</p>").format(Markup("<br>\n").join(escape(line) for line in b.split("\n")))
        for b in blocks
        if b
    )
