"""Small builders for test data; every argument has a sensible default."""

from __future__ import annotations

import hashlib
import itertools
import secrets
from datetime import timedelta

from registration.extensions import db
from registration.models import (
    Event,
    EventKind,
    EventStatus,
    PickupStop,
    Question,
    QuestionChoice,
    QuestionKind,
    Registration,
    RegistrationStatus,
)
from registration.timeutil import now_utc

_numbers = itertools.count(1)


def make_event(
    *, commit: bool = True, stops: list[tuple[str, int]] | None = None, **fields
) -> Event:
    """A published think tank a week from now, two hours long, 20 seats, unless told otherwise.

    `stops` makes pickup stops: (place, minutes before the start).
    """
    n = next(_numbers)
    starts_at = fields.pop("starts_at", now_utc().replace(microsecond=0) + timedelta(days=7))
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
