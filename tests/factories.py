"""Small builders for test data; every argument has a sensible default."""

from __future__ import annotations

import hashlib
import itertools
import secrets
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from registration.extensions import db
from registration.mail import outbox
from registration.models import (
    Event,
    EventKind,
    EventStatus,
    Organiser,
    OrganiserRole,
    OutboxMessage,
    OutboxState,
    PickupStop,
    Post,
    PostStatus,
    Project,
    ProjectStatus,
    Question,
    QuestionChoice,
    QuestionKind,
    Registration,
    RegistrationStatus,
)
from registration.timeutil import now_utc, riga_datetime, today_riga

_numbers = itertools.count(1)

#: The password of every account `make_organiser` makes.
PASSWORD = "garš-un-drošs-parole-42"


def riga_day(days_ahead: int) -> date:
    """The date in Riga `days_ahead` days from today there."""
    return today_riga() + timedelta(days=days_ahead)


def at_riga(days_ahead: int, hour: int = 10, minute: int = 0) -> datetime:
    """A Riga wall-clock time `days_ahead` days from today, as aware UTC.

    Test events start at such fixed local times, never at "now + 7 days": a time of day
    derived from the clock moves the event to another date after midnight, and a test that
    passes by day would fail at night.
    """
    return riga_datetime(riga_day(days_ahead), time(hour, minute))


def make_event(
    *, commit: bool = True, stops: list[tuple[str, int]] | None = None, **fields
) -> Event:
    """A published think tank a week from today at 10:00 Riga time, two hours long, 20 seats,
    unless told otherwise.

    `stops` makes pickup stops: (place, minutes before the start).
    """
    n = next(_numbers)
    starts_at = fields.pop("starts_at", None) or at_riga(7)
    values = {
        "slug": f"notikums-{n}",
        "kind": EventKind.THINK_TANK,
        "status": EventStatus.PUBLISHED,
        "title": f"NVO domnīca {n}",
        "summary": "Sarunas par biedrību darbu.",
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=2),
        "venue_name": "Tautas nams",
        "venue_address": "Skrīveri",
        "place": "Skrīveru pagasts",
        "capacity": 20,
        "contact_email": "info@partneriba.example",
    }
    values.update(fields)
    event = Event(**values)
    for position, (place, minutes_before) in enumerate(stops or [], start=1):
        event.pickup_stops.append(
            PickupStop(
                position=position,
                place=place,
                departs_at=event.starts_at - timedelta(minutes=minutes_before),
            )
        )
    db.session.add(event)
    if commit:
        db.session.commit()
    return event


def make_registration(event: Event, *, commit: bool = True, **fields) -> Registration:
    """A registration written straight to the database (not through the booking rules)."""
    n = next(_numbers)
    email = fields.pop("email", f"dalibnieks{n}@example.lv")
    status = fields.pop("status", RegistrationStatus.CONFIRMED)
    values = {
        "first_name": "Anna",
        "last_name": f"Bērziņa {n}",
        "email": email,
        "email_key": email.strip().lower(),
        "place": "Skrīveru pagasts",
        "queued_at": now_utc(),
        "manage_nonce": secrets.token_hex(16),
        "manage_token_hash": hashlib.sha256(secrets.token_bytes(16)).hexdigest(),
    }
    values.update(fields)
    registration = Registration(event=event, status=status, **values)
    if status is RegistrationStatus.CONFIRMED:
        event.confirmed_count += 1
    db.session.add(registration)
    if commit:
        db.session.commit()
    return registration


def make_question(
    event: Event, kind: QuestionKind, label: str, *, choices=(), commit: bool = True, **fields
) -> Question:
    """A question of `event`, last on its form; `choices` are Latvian labels."""
    position = max((q.position for q in event.questions), default=0) + 1
    question = Question(kind=kind, position=position, label_lv=label, **fields)
    question.choices = [
        QuestionChoice(position=n, label_lv=text) for n, text in enumerate(choices, start=1)
    ]
    event.questions.append(question)
    if commit:
        db.session.commit()
    return question


def make_organiser(
    email: str | None = None,
    role: OrganiserRole = OrganiserRole.ORGANISER,
    *,
    commit: bool = True,
    **fields,
) -> Organiser:
    """An active back-office account whose password is PASSWORD."""
    email = email or f"organisators{next(_numbers)}@partneriba.example"
    organiser = Organiser(**{"email": email, "role": role, "name": email.split("@")[0], **fields})
    organiser.set_password(PASSWORD)
    db.session.add(organiser)
    if commit:
        db.session.commit()
    return organiser


def make_project(*, commit: bool = True, **fields) -> Project:
    """A funded project with a public page: the funder's facts and a funding line."""
    n = next(_numbers)
    values = {
        "slug": f"projekts-{n}",
        "title": f"Kopienu attīstības projekts {n}",
        "status": ProjectStatus.PUBLISHED,
        "code": f"LEADER-{n}",
        "funder": "Lauku atbalsta dienests",
        "programme": "NVO fonds",
        "amount": Decimal("6460.64"),
        "support_intensity": Decimal("100"),
        "funding_line": "Finansējums: Latvijas valsts budžeta finansēta programma „NVO fonds”",
    }
    values.update(fields)
    project = Project(**values)
    db.session.add(project)
    if commit:
        db.session.commit()
    return project


def make_post(**fields) -> Post:
    """A published post (its date as given, else a fixed past one)."""
    n = next(_numbers)
    values = {
        "slug": f"jaunums-{n}",
        "title": f"Jaunums {n}",
        "lead": "Īsumā par notikušo.",
        "body": "Teksts ar **treknu** vārdu.",
        "status": PostStatus.PUBLISHED,
        "published_at": datetime(2026, 1, 15, 10, 0, tzinfo=UTC),
    }
    values.update(fields)
    post = Post(**values)
    db.session.add(post)
    db.session.commit()
    return post


def make_outbox_message(
    registration: Registration,
    *,
    state: OutboxState = OutboxState.PENDING,
    commit: bool = True,
    **fields,
) -> OutboxMessage:
    """An organiser's message to `registration`, queued the way the app queues mail."""
    values = {"subject": "Par domnīcu", "text": "Sveiki!", "kind": "participant_message"}
    values.update(fields)
    message = outbox.queue(
        recipient=registration.email,
        registration=registration,
        event=registration.event,
        **values,
    )
    message.state = state
    if commit:
        db.session.commit()
    return message
