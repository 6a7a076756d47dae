"""Writing a message: its subject and bodies from `templates/email/<name>`, in the language of
the person who reads it.

The messages a booking causes (a confirmation, a place on the waiting list, a seat that became
free, a cancellation, the link sent again, the request to confirm the address, the contact's
notice) are queued *unwritten* inside the booking's transaction: a row with its kind, its
registration and a little JSON (`OutboxMessage.writing_context`). Rendering them there would
hold the event's lock (and, on SQLite, the whole database's write lock) for as long as the
templates take, and every other sign-up to the event waits for it. The sender writes each one
(`write_claimed`) just before sending it, from the registration as it is then, and keeps what
it sent on the row. So the seat, the row and the commit stay one transaction, and the
rendering happens outside it.

A message is written from its registration at sending time, so it tells the latest truth: a
waiting-list place as it stands when the mail leaves, the companions still registered.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from ..extensions import db
from ..i18n import clock, current_language, long_date, weekday
from ..models import Event, OutboxAttachment, Registration, RegistrationStatus
from ..services import answers, groups, organisation
from ..services.booking import waiting_position
from ..services.policy import sees_join_link
from ..timeutil import to_riga
from ..urls import external_url
from .outbox import MANAGE_LINK_PLACEHOLDER, Attachment, Claimed, one_line


class NotWritable(Exception):
    """The message can no longer be written: its registration was erased since."""


class Overtaken(Exception):
    """What the message would say is no longer true (a waiting place told after the seat was
    given, a confirmation after the cancellation): the later message says what is."""


# --- Rendering -------------------------------------------------------------------------------


def language(code: str | None) -> str:
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


def render(name: str, **context: Any) -> tuple[str, str]:
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


def event_context(event: Event, registration: Registration | None = None) -> dict:
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


def companions(registration: Registration) -> list[Registration]:
    """The people signed up with this person, named in their confirmation (companions
    without an address hear about their place only through it)."""
    return [] if registration.lead_id else groups.active_companions(registration)


def _waiting_people(event: Event) -> int:
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Registration)
        .where(
            Registration.event_id == event.id,
            Registration.status == RegistrationStatus.WAITLISTED,
        )
    )


CALENDAR_CONTENT_TYPE = "text/calendar; charset=utf-8; method=PUBLISH"


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


# --- The messages a booking causes -----------------------------------------------------------


@dataclass(frozen=True)
class Letter:
    """How one kind of message about a registration is written.

    `subject` and `context` are called inside the reader's language with the registration and
    the row's `writing_context`."""

    subject: Callable[[Registration], str]
    context: Callable[[Registration, dict], dict] = lambda registration, extra: {}
    #: Sent with the person's .ics (made at sending time, see mime.py).
    with_calendar: bool = False
    #: Whether the message still holds for the registration as it is when written.
    holds: Callable[[Registration], bool] = lambda registration: True


def _seated(registration: Registration) -> bool:
    return registration.status is RegistrationStatus.CONFIRMED


def _waiting_now(registration: Registration) -> bool:
    return registration.status is RegistrationStatus.WAITLISTED


def _waiting(registration: Registration, extra: dict) -> dict:
    is_waiting = registration.status is RegistrationStatus.WAITLISTED
    return {"is_waiting": is_waiting, "position": waiting_position(registration)}


LETTERS: dict[str, Letter] = {
    "confirmation": Letter(
        lambda r: _("Registration confirmed: %(title)s", title=r.event.title),
        lambda r, extra: {"companions": companions(r)},
        with_calendar=True,
        holds=_seated,
    ),
    "waitlisted": Letter(
        lambda r: _("You are on the waiting list: %(title)s", title=r.event.title),
        lambda r, extra: {"position": waiting_position(r), "companions": companions(r)},
        holds=_waiting_now,
    ),
    "confirm_request": Letter(
        lambda r: _("Please confirm your registration: %(title)s", title=r.event.title),
        _waiting,
        holds=lambda r: r.is_awaiting_confirmation,
    ),
    "promoted": Letter(
        lambda r: _("A place is yours: %(title)s", title=r.event.title),
        with_calendar=True,
        holds=_seated,
    ),
    # The cancelling file takes the event out of the person's calendar.
    "cancelled": Letter(
        lambda r: _("Registration cancelled: %(title)s", title=r.event.title),
        lambda r, extra: {"by_organiser": bool(extra.get("by_organiser"))},
        with_calendar=True,
    ),
    "duplicate": Letter(
        lambda r: _("Your registration: %(title)s", title=r.event.title),
        _waiting,
        holds=lambda r: r.is_active,
    ),
}

#: Written for the event's contact, in the site's default language (see `organiser_notice`).
ORGANISER_NOTICE = "organiser_notice"


def write_to_participant(
    registration: Registration, kind: str, extra: dict
) -> tuple[str, str, str]:
    """(subject, text, html) of a LETTERS message, in the person's language."""
    letter = LETTERS[kind]
    with force_locale(language(registration.language)):
        subject = letter.subject(registration)
        text, html = render(
            kind,
            subject=subject,
            **{
                **event_context(registration.event, registration),
                **letter.context(registration, extra),
            },
        )
    return subject, text, html


def organiser_notice(registration: Registration) -> tuple[str, str, str]:
    """(subject, text, html) of the contact's notice of a new sign-up: who, with whom, their
    answers, and where the queue stands."""
    event = registration.event
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        subject = _(
            "New registration: %(name)s, %(title)s", name=registration.full_name, title=event.title
        )
        people = groups.companions_of(registration)
        texts = answers.texts_by_registration(
            event, [registration.id, *(c.id for c in people)], current_language()
        )
        text, html = render(
            ORGANISER_NOTICE,
            subject=subject,
            person=registration,
            companions=people,
            answer_texts=texts,
            position=waiting_position(registration),
            waiting_count=_waiting_people(event),
            **event_context(event),
        )
    return subject, text, html


def attachments(kind: str, registration: Registration) -> list[Attachment]:
    """The files a message of this kind carries."""
    letter = LETTERS.get(kind)
    return [calendar_attachment(registration)] if letter and letter.with_calendar else []


def write(kind: str, registration: Registration, extra: dict | None) -> tuple[str, str, str]:
    """(subject, text, html) of an unwritten message of this kind about this registration."""
    if kind == ORGANISER_NOTICE:
        return organiser_notice(registration)
    return write_to_participant(registration, kind, extra or {})


def write_claimed(message: Claimed) -> Claimed:
    """The claimed row with its subject and bodies written (the sender keeps them on the row
    with its outcome). Raises NotWritable when its registration is gone."""
    registration = (
        db.session.get(Registration, message.registration_id)
        if message.registration_id is not None
        else None
    )
    if registration is None:
        raise NotWritable("the registration was erased before its message was written")
    letter = LETTERS.get(message.kind)
    if letter is not None and not letter.holds(registration):
        raise Overtaken(f"registration {registration.id} is {registration.status.value} now")
    subject, text, html = write(message.kind, registration, message.writing_context)
    return replace(
        message,
        attachments=tuple(attachments(message.kind, registration)),
        subject=one_line(subject, 400),
        text_body=text,
        html_body=html,
        written=True,
        written_now=True,
    )
