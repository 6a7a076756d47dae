"""The states the browser suite visits, built on top of the demo programme.

Run as `python -m tests.browser.world` with REGISTRATION_INSTANCE_PATH set to the instance
that gunicorn will serve (after `db upgrade`, `seed-demo` and `create-organiser`); prints a
JSON object of the slugs, ids and private-link tokens that `pages.py` puts into its URLs.

Everything is placed relative to the moment it runs, with room on both sides (an event "in
progress" started an hour ago and ends in three), so the pages look the same at any hour.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from datetime import timedelta

import sqlalchemy as sa

from registration import create_app
from registration.extensions import db
from registration.models import (
    Attendance,
    Document,
    Event,
    OutboxMessage,
    OutboxState,
    Post,
    Project,
)
from registration.models import Registration as RegistrationRow
from registration.services import booking, event_admin, participants, tokens
from registration.timeutil import now_utc

#: A resident with an address long enough to wrap on a phone (the private page must not clip).
LONG_EMAIL = "marta.berzina-ozolina.aizkraukle@partneriba-novads.example"


def ascii_name(name: str) -> str:
    """'Kārlis' -> 'karlis': most mail servers take no diacritics before the @."""
    return unicodedata.normalize("NFKD", name.lower()).encode("ascii", "ignore").decode()


def person(first: str, last: str, n: int, **extra) -> booking.SignUpDetails:
    return booking.SignUpDetails(
        first_name=first,
        last_name=last,
        email=extra.pop("email", f"{ascii_name(first)}.{n}@example.lv"),
        phone=extra.pop("phone", "+371 26 000 00" + str(n % 10)),
        place=extra.pop("place", "Aizkraukle"),
        consent_notice_version="2026-11",
        **extra,
    )


def event(slug: str) -> Event:
    return db.session.scalar(sa.select(Event).where(Event.slug == slug))


def signed_up(slug: str, details: booking.SignUpDetails) -> RegistrationRow:
    return booking.sign_up(event(slug).id, details).registration


def reopen(event: Event) -> None:
    """An event of the demo's archive set a day ahead again, so that people can sign up."""
    event.starts_at = now_utc() + timedelta(days=1)
    event.ends_at = event.starts_at + timedelta(hours=3)
    event.registration_closes_at = None
    db.session.commit()


def build() -> dict:
    world: dict = {}

    # A study trip with its stops, people at different stops, and one long address.
    trip = event("pieredzes-brauciens-olaine")
    stops = [stop.id for stop in trip.pickup_stops]
    long_address = signed_up(
        trip.slug,
        person(
            "Marta",
            "Bērziņa-Ozoliņa",
            1,
            email=LONG_EMAIL,
            pickup_stop_id=stops[1],
            organisation="Biedrība „Aizkraukles novada lauku sieviešu klubs”",
            needs="Vieta autobusa priekšā, lūdzu.",
        ),
    )
    for n, (first, last) in enumerate(
        [("Jānis", "Ozols"), ("Ilze", "Kalniņa"), ("Pēteris", "Liepiņš"), ("Anna", "Zariņa")],
        start=2,
    ):
        signed_up(trip.slug, person(first, last, n, pickup_stop_id=stops[n % len(stops)]))
    gone = signed_up(trip.slug, person("Kārlis", "Egle", 7, pickup_stop_id=stops[0]))
    booking.cancel(gone.id)
    world["trip"] = {"slug": trip.slug, "id": trip.id, "registration": long_address.id}
    world["trip_token"] = tokens.manage_token(long_address)
    world["cancelled_token"] = tokens.manage_token(gone)

    # The other trip is left for the keyboard journey to sign up for.
    world["journey_trip"] = {"slug": "pieredzes-brauciens-selija"}

    # A full think tank with a waiting list.
    full = event("nvo-domnica-irsi")
    full.capacity = full.confirmed_count + 2  # the demo may have people signed up already
    db.session.commit()
    for n, (first, last) in enumerate([("Līga", "Priede"), ("Edgars", "Krūmiņš")], start=1):
        signed_up(full.slug, person(first, last, n))
    waiting = signed_up(full.slug, person("Dace", "Vītola", 3))
    world["full"] = {"slug": full.slug, "id": full.id, "waiting": waiting.id}
    world["waiting_token"] = tokens.manage_token(waiting)

    # Full and no waiting list.
    no_queue = event("nvo-domnica-plavinas")
    no_queue.capacity = no_queue.confirmed_count + 1
    no_queue.has_waiting_list = False
    db.session.commit()
    signed_up(no_queue.slug, person("Rūta", "Sproģe", 4))
    world["full_no_queue"] = {"slug": no_queue.slug, "id": no_queue.id}

    # The online final event, with one confirmed participant (the join link on the page).
    online = event("nosleguma-pasakums")
    online_person = signed_up(online.slug, person("Inese", "Dzene", 5))
    world["online"] = {"slug": online.slug, "id": online.id}
    world["online_token"] = tokens.manage_token(online_person)

    # A cancelled seminar.
    cancelled = event("seminars-lidzdalibas-rikri")
    signed_up(cancelled.slug, person("Gunta", "Lapiņa", 6))
    event_admin.cancel_event(
        cancelled.id, "Lektore saslima; jaunu datumu paziņosim e-pastā.", actor=None
    )
    world["cancelled"] = {"slug": cancelled.slug, "id": cancelled.id}

    # An event nobody has signed up for: the empty participants table.
    empty = event("seminars-iedzivotaju-padomes")
    world["empty"] = {"slug": empty.slug, "id": empty.id}

    # Sign-up not open yet (the same seminar: nobody can have signed up).
    later = empty
    later.registration_opens_at = now_utc() + timedelta(days=3)
    db.session.commit()
    # A draft, seen only in the back office: a copy of the other trip.
    draft = event_admin.duplicate_event(
        event("pieredzes-brauciens-selija").id,
        title="Pieredzes apmaiņas brauciens uz Latgali",
        starts_on=(now_utc() + timedelta(days=80)).date(),
        place=None,
        venue_name="Latgale",
        venue_address="Rēzekne",
        actor=None,
    )
    world["not_yet_open"] = {"slug": later.slug, "id": later.id}
    world["draft"] = {"slug": draft.slug, "id": draft.id}

    # Check-in in the middle of an event: one checked in, one absent, two to go, one waiting.
    # The demo's think tank at Mazzalve (in the archive) is brought ahead for the sign-ups
    # below (four seats more than its people), then moved to now.
    today = event("nvo-domnica-mazzalve")
    reopen(today)
    today.capacity = today.confirmed_count + 4
    db.session.commit()
    people = [
        signed_up(today.slug, person(first, last, n))
        for n, (first, last) in enumerate(
            [
                ("Aija", "Bērziņa"),
                ("Valdis", "Ozoliņš"),
                ("Zane", "Kļaviņa"),
                ("Oskars", "Šteins"),
                ("Laima", "Ērgle"),
            ],
            start=11,
        )
    ]
    participants.mark_attendance(people[0].id, Attendance.ATTENDED, actor=None)
    participants.mark_attendance(people[1].id, Attendance.ABSENT, actor=None)
    today.starts_at = now_utc() - timedelta(hours=1)
    today.ends_at = now_utc() + timedelta(hours=3)
    today.registration_closes_at = None
    db.session.commit()
    world["checkin"] = {"slug": today.slug, "id": today.id}

    # An event that has taken place (the archive), attendance marked.
    past = event("nvo-domnica-sece")
    reopen(past)
    attendee = signed_up(past.slug, person("Roberts", "Kalns", 21))
    participants.mark_attendance(attendee.id, Attendance.ATTENDED, actor=None)
    past.starts_at = now_utc() - timedelta(days=7, hours=3)
    past.ends_at = now_utc() - timedelta(days=7)
    db.session.commit()
    world["past"] = {"slug": past.slug, "id": past.id}

    # One email the mail server refused for good (the undelivered-mail page).
    refused = db.session.scalar(
        sa.select(OutboxMessage).where(OutboxMessage.event_id == full.id).limit(1)
    )
    refused.state = OutboxState.FAILED
    refused.last_error = "550 5.1.1 <liga.1@example.lv>: Recipient address rejected"
    db.session.commit()
    world["failed_message"] = refused.id

    # The project's public home, a news post and a result document (from the demo).
    project = db.session.scalar(sa.select(Project).order_by(Project.id).limit(1))
    post = db.session.scalar(sa.select(Post).order_by(Post.id).limit(1))
    document = db.session.scalar(sa.select(Document).order_by(Document.id).limit(1))
    world["project"] = {"slug": project.slug, "id": project.id}
    world["post"] = {"slug": post.slug, "id": post.id}
    world["document"] = document.id
    return world


def main() -> None:
    app = create_app()
    with app.app_context():
        json.dump(build(), sys.stdout)


if __name__ == "__main__":
    main()
