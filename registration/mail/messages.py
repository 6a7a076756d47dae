"""What each email says, in the language the person used, queued into the outbox.

Every `queue_*` function renders `templates/email/<name>.txt` and `.html` inside
`force_locale(registration.language)` and adds the message to the current transaction
(no commit). Links to the private manage page are written as a placeholder that the sender
fills in (see `outbox.MANAGE_LINK_PLACEHOLDER`), so no working token is stored.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from markupsafe import Markup, escape

from ..extensions import db
from ..i18n import clock, current_language, long_date, weekday
from ..models import (
    Attendance,
    Event,
    Organiser,
    OutboxAttachment,
    Registration,
    RegistrationStatus,
)
from ..services import DomainError, answers, groups, organisation
from ..services.booking import waiting_position
from ..services.policy import sees_join_link
from ..timeutil import now_utc, to_riga
from ..urls import external_url
from . import outbox, unasked
from .outbox import MANAGE_LINK_PLACEHOLDER, Attachment

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

CALENDAR_CONTENT_TYPE = "text/calendar; charset=utf-8; method=PUBLISH"


# --- Rendering -------------------------------------------------------------------------------


def _language(code: str | None) -> str:
    config = current_app.config
    return code if code in config["LANGUAGES"] else config["BABEL_DEFAULT_LOCALE"]


def when(event: Event) -> str:
    """'piektdiena, 2021. gada 24. septembris, 10:00–12:00' in the current language."""
    start, end = to_riga(event.starts_at), to_riga(event.ends_at)
    if start.date() == end.date():
        return _(
            "%(weekday)s, %(date)s, %(start)s–%(end)s",
            weekday=weekday(start),
            date=long_date(start),
            start=clock(start),
            end=clock(end),
        )
    return _(
        "%(weekday)s, %(date)s, %(start)s – %(end_date)s, %(end)s",
        weekday=weekday(start),
        date=long_date(start),
        start=clock(start),
        end_date=long_date(end),
        end=clock(end),
    )


def _render(name: str, **context: Any) -> tuple[str, str]:
    """The text and HTML bodies of `templates/email/<name>`."""
    context.setdefault("organisation_name", organisation.details().name)
    context.setdefault("current_language", current_language())
    text = _text_environment().get_template(f"email/{name}.txt").render(**context)
    html = current_app.jinja_env.get_template(f"email/{name}.html").render(**context)
    return _tidy_text(text), html


def _text_environment():
    """The app's Jinja environment, with block tags that leave no lines of their own."""
    env = current_app.extensions.get("mail_text_jinja")
    if env is None:
        env = current_app.jinja_env.overlay(
            trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True
        )
        current_app.extensions["mail_text_jinja"] = env
    return env


def _tidy_text(text: str) -> str:
    """Template logic leaves blank lines and trailing spaces; a plain-text mail should not."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"


def _event_context(event: Event, registration: Registration | None = None) -> dict:
    stop = registration.pickup_stop if registration is not None else None
    return {
        "event": event,
        "registration": registration,
        "when": when(event),
        "event_url": external_url("public.event_detail", slug=event.slug),
        "events_url": external_url("public.index"),
        "manage_url": MANAGE_LINK_PLACEHOLDER,
        "show_join_link": registration is not None and sees_join_link(registration),
        "stop": stop,
        "stop_time": clock(stop.departs_at) if stop is not None else "",
        "stops": [(s.place, clock(s.departs_at)) for s in event.pickup_stops],
        "confirm_until": _deadline(registration),
    }


def _deadline(registration: Registration | None) -> str:
    """Until when a held place waits for the person's confirmation, as people read it."""
    if registration is None or registration.confirm_by is None:
        return ""
    moment = to_riga(registration.confirm_by)
    return _("%(date)s, %(time)s", date=long_date(moment), time=clock(moment))


def calendar_attachment(registration: Registration) -> Attachment:
    """The person's .ics, made when the message is sent (see OutboxAttachment.generated_by).

    It has the event's UID and its SEQUENCE at that moment, and says STATUS:CANCELLED once
    the event is cancelled (`registration.calendar.ics.personal_calendar`).
    """
    return Attachment(
        filename=f"{registration.event.slug}.ics",
        content_type=CALENDAR_CONTENT_TYPE,
        generated_by=OutboxAttachment.PERSONAL_CALENDAR,
    )


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
    held_back = not unasked.may_send(registration, kind)
    if held_back:
        logger.info(
            "a %s message of registration %s held back: the address is not confirmed and "
            "had its messages for now",
            kind,
            registration.id,
        )
    event = registration.event
    with force_locale(_language(registration.language)):
        subject_text = subject() if callable(subject) else subject
        text, html = _render(
            template, subject=subject_text, **{**_event_context(event, registration), **context}
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
        attachments=[calendar_attachment(registration)] if with_calendar else [],
        registration=registration,
        event=event,
        sent_by=sent_by,
        dedupe_key=dedupe_key,
        has_manage_link=True,
        held_back=held_back,
    )


# --- Messages to one person ------------------------------------------------------------------


def queue_confirmation(registration: Registration):
    return _to_participant(
        registration,
        "confirmation",
        lambda: _("Registration confirmed: %(title)s", title=registration.event.title),
        "confirmation",
        with_calendar=True,
        dedupe_key=f"created:{registration.id}",
        companions=_companions(registration),
    )


def queue_waitlisted(registration: Registration):
    return _to_participant(
        registration,
        "waitlisted",
        lambda: _("You are on the waiting list: %(title)s", title=registration.event.title),
        "waitlisted",
        dedupe_key=f"created:{registration.id}",
        position=waiting_position(registration),
        companions=_companions(registration),
    )


def queue_confirm_request(registration: Registration):
    """Ask a person who signed up to confirm their address (double opt-in) by a deadline."""
    return _to_participant(
        registration,
        "confirm_request",
        lambda: _("Please confirm your registration: %(title)s", title=registration.event.title),
        "confirm_request",
        dedupe_key=f"confirm-request:{registration.id}",
        is_waiting=registration.status is RegistrationStatus.WAITLISTED,
        position=waiting_position(registration),
    )


def _companions(registration: Registration) -> list[Registration]:
    """The people signed up with this person, named in their confirmation (companions
    without an address hear about their place only through it)."""
    return [] if registration.lead_id else groups.active_companions(registration)


def queue_promoted(registration: Registration):
    return _to_participant(
        registration,
        "promoted",
        lambda: _("A place is yours: %(title)s", title=registration.event.title),
        "promoted",
        with_calendar=True,
    )


def queue_cancelled(registration: Registration, *, by_organiser: bool = False):
    return _to_participant(
        registration,
        "cancelled",
        lambda: _("Registration cancelled: %(title)s", title=registration.event.title),
        "cancelled",
        # The cancelling file takes the event out of the person's calendar.
        with_calendar=True,
        dedupe_key=f"cancelled:{registration.id}",
        by_organiser=by_organiser,
    )


def queue_duplicate(registration: Registration, *, now=None):
    """Someone signed up again with this address: send the existing link, at most hourly.

    The hourly key stops the form from being used to flood a person's mailbox.
    """
    hour = (now or now_utc()).strftime("%Y%m%d%H")
    return _to_participant(
        registration,
        "duplicate",
        lambda: _("Your registration: %(title)s", title=registration.event.title),
        "duplicate",
        dedupe_key=f"duplicate:{registration.id}:{hour}",
        is_waiting=registration.status is RegistrationStatus.WAITLISTED,
        position=(
            waiting_position(registration)
            if registration.status is RegistrationStatus.WAITLISTED
            else None
        ),
    )


def queue_reminder(registration: Registration, dedupe_key: str):
    return _to_participant(
        registration,
        "reminder",
        lambda: _(
            "Reminder: %(title)s, %(when)s",
            title=registration.event.title,
            when=when(registration.event),
        ),
        "reminder",
        dedupe_key=dedupe_key,
    )


def queue_organiser_notice(registration: Registration):
    """Tell the event's contact about a new sign-up, in the site's default language."""
    event = registration.event
    if not event.contact_email:
        return None
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        subject = _(
            "New registration: %(name)s, %(title)s", name=registration.full_name, title=event.title
        )
        position = (
            waiting_position(registration)
            if registration.status is RegistrationStatus.WAITLISTED
            else None
        )
        companions = groups.companions_of(registration)
        texts = answers.texts_by_registration(
            event, [registration.id, *(c.id for c in companions)], current_language()
        )
        text, html = _render(
            "organiser_notice",
            subject=subject,
            person=registration,
            companions=companions,
            answer_texts=texts,
            position=position,
            waiting_count=_count(event, RegistrationStatus.WAITLISTED),
            **_event_context(event),
        )
    return outbox.queue(
        kind="organiser_notice",
        recipient=event.contact_email,
        recipient_name=event.contact_name,
        subject=subject,
        text=text,
        html=html,
        # The organiser's "reply" writes to the person who signed up.
        reply_to=registration.email,
        headers=AUTOMATIC,
        registration=registration,
        event=event,
        dedupe_key=f"organiser-notice:{registration.id}",
    )


def _count(event: Event, status: RegistrationStatus) -> int:
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Registration)
        .where(Registration.event_id == event.id, Registration.status == status)
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
            dedupe_key=f"event-cancelled:{registration.id}",
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
