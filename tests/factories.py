"""Small builders for test data; every argument has a sensible default."""

from __future__ import annotations

import hashlib
import itertools
import secrets
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from registration.extensions import db
from registration.models import (
    Event,
    EventKind,
    EventStatus,
    PickupStop,
    Post,
    PostStatus,
    Project,
    ProjectStatus,
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


def make_project(**fields) -> Project:
    """A published project with the funder's facts and a funding line."""
    n = next(_numbers)
    values = {
        "slug": f"projekts-{n}",
        "title": f"Iedzīvotāju līdzdalība {n}",
        "status": ProjectStatus.PUBLISHED,
        "code": f"2021.LV/NVOF/MIC/{n:03d}/10",
        "funder": "Sabiedrības integrācijas fonds",
        "programme": "NVO fonds",
        "amount": Decimal("6460.64"),
        "support_intensity": Decimal("100"),
        "funding_line": "Finansējums: Latvijas valsts budžeta finansēta programma „NVO fonds”",
    }
    values.update(fields)
    project = Project(**values)
    db.session.add(project)
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
