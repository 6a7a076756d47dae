"""Invented participants for the demo's past events: enough for the archive, the figures,
the check-in screen and the exports to show something. Names agree in gender, as Latvian
names do; the addresses are under example.org, which no mail reaches."""

from __future__ import annotations

import unicodedata
from datetime import timedelta

from ..models import Attendance, Event, Registration, RegistrationSource, RegistrationStatus
from ..services import tokens

WOMEN = [
    ("Anna", "Bērziņa"), ("Ilze", "Kalniņa"), ("Inese", "Ozola"), ("Laura", "Liepiņa"),
    ("Dace", "Krūmiņa"), ("Līga", "Vītola"), ("Ieva", "Zariņa"), ("Sandra", "Jansone"),
    ("Kristīne", "Ozoliņa"), ("Zane", "Priede"),
]  # fmt: skip
MEN = [
    ("Jānis", "Bērziņš"), ("Andris", "Kalniņš"), ("Mārtiņš", "Ozols"), ("Edgars", "Liepa"),
    ("Raimonds", "Krūmiņš"), ("Guntis", "Vītols"), ("Aivars", "Zariņš"), ("Kārlis", "Jansons"),
]  # fmt: skip
ORGANISATIONS = [
    "",
    "Biedrība „Mūsu pagastam”",
    "Pensionāru biedrība „Sudrabs”",
    "Jauniešu klubs „Tilts”",
    "",
    "Mednieku biedrība",
    "",
]
OTHER_PLACES = ["Aizkraukle", "Kokneses pagasts", "Jaunjelgava", "Neretas pagasts"]


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def participants(
    event: Event, count: int, first: int, language: str, notice: str
) -> list[Registration]:
    """`count` registrations for a past `event`, starting at person number `first` (so the
    same people turn up at several events, as they do), with attendance taken."""
    people = [*WOMEN, *MEN]
    rows = []
    for n in range(count):
        first_name, last_name = people[(first + n) % len(people)]
        signed_up = event.starts_at - timedelta(days=10 - n % 7, hours=n)
        absent = n % 6 == 5
        registration = Registration(
            event=event,
            status=RegistrationStatus.CONFIRMED,
            first_name=first_name,
            last_name=last_name,
            email=f"{_ascii(first_name)}.{_ascii(last_name)}@example.org",
            place=event.place if n % 3 else OTHER_PLACES[n % len(OTHER_PLACES)],
            organisation=ORGANISATIONS[n % len(ORGANISATIONS)],
            consent_notice_version=notice,
            consented_at=signed_up,
            photo_opt_out=n % 5 == 4,
            wants_news=n % 2 == 0,
            language=language,
            source=RegistrationSource.ONLINE,
            queued_at=signed_up,
            confirmed_at=signed_up,
            attendance=Attendance.ABSENT if absent else Attendance.ATTENDED,
            checked_in_at=None if absent else event.starts_at + timedelta(minutes=n % 15),
        )
        registration.email_key = registration.email
        tokens.assign_manage_token(registration)
        rows.append(registration)
    # One person came without signing up: entered at the door, without an address.
    rows.append(
        Registration(
            event=event,
            status=RegistrationStatus.CONFIRMED,
            first_name="Valda",
            last_name="Kļaviņa",
            place=event.place or "",
            consent_notice_version=notice,
            language=language,
            source=RegistrationSource.WALK_IN,
            queued_at=event.starts_at,
            confirmed_at=event.starts_at,
            attendance=Attendance.ATTENDED,
            checked_in_at=event.starts_at,
        )
    )
    tokens.assign_manage_token(rows[-1])
    return rows
