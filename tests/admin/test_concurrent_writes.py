"""Back-office writes while another process writes to the same SQLite file.

The mail sender (a thread of each web process, or a worker) and other gunicorn workers
commit all the time. On SQLite a transaction that has read and then writes fails at once
with "database is locked" when someone else committed in between; a transaction that
begins as a write transaction (`start_write_transaction`) waits its turn instead. Here a
neighbour commits in a tight loop, as the sender does with its claims and receipts, while an
organiser goes through every screen that writes.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from registration.extensions import db
from registration.mail import outbox
from registration.models import (
    Attendance,
    AuditAction,
    AuditEntry,
    Event,
    EventStatus,
    Organiser,
    OutboxState,
    Registration,
    RegistrationStatus,
)
from registration.timeutil import now_utc, to_riga
from tests.factories import PASSWORD, make_organiser, make_outbox_message
from tests.settings import TEST_DATABASE_URL

from .helpers import edit_data, event_form, log_in

pytestmark = pytest.mark.skipif(
    bool(TEST_DATABASE_URL), reason="the lock failure is SQLite's (PostgreSQL locks rows)"
)


class BusyNeighbour:
    """Commits a small write transaction every fraction of a millisecond, on its own
    connection, until stopped."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.commits = 0
        self._stop = threading.Event()
        with sqlite3.connect(path, isolation_level=None) as setup:
            setup.execute("CREATE TABLE IF NOT EXISTS neighbour_heartbeat (at REAL)")
        setup.close()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        # No busy timeout: SQLite's own waiting backs off up to 100 ms at a time, and the
        # neighbour should try again as soon as the lock is free.
        connection = sqlite3.connect(self.path, isolation_level=None, timeout=0)
        try:
            while not self._stop.is_set():
                try:
                    connection.execute("BEGIN IMMEDIATE")
                except sqlite3.OperationalError:  # a request holds the write lock: wait
                    time.sleep(0.0005)
                    continue
                connection.execute("INSERT INTO neighbour_heartbeat VALUES (?)", (time.time(),))
                connection.execute("COMMIT")
                self.commits += 1
                time.sleep(0.0002)
        finally:
            connection.close()

    def __enter__(self) -> BusyNeighbour:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=10)


@pytest.fixture
def neighbour(app):
    path = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    with BusyNeighbour(path) as busy:
        yield busy
    assert busy.commits >= 10, "the neighbour hardly wrote: the test proved nothing"


def ok(response) -> None:
    assert response.status_code < 500, response.get_data(as_text=True)[:500]


def audit_actions() -> list[AuditAction]:
    return list(db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)))


def test_participant_screens_while_another_process_writes(
    organiser_client, make_event, make_registration, neighbour
):
    event = make_event(capacity=8)
    people = [make_registration(event, first_name=f"P{n}") for n in range(8)]
    waiting = [
        make_registration(event, status=RegistrationStatus.WAITLISTED, first_name=f"W{n}")
        for n in range(4)
    ]
    client = organiser_client
    for n in range(5):
        ok(
            client.post(
                f"/admin/events/{event.id}/participants/new",
                data={"first_name": "Jauns", "last_name": f"Nr{n}", "place": "Aizkraukle",
                      "email": f"jauns{n}@example.lv", "language": "lv"},
            )
        )  # fmt: skip
    for person in people[:5]:
        ok(
            client.post(
                f"/admin/events/{event.id}/checkin/{person.id}", data={"attendance": "attended"}
            )
        )
    ok(
        client.post(
            f"/admin/registrations/{people[5].id}",
            data={"first_name": "Anna", "last_name": "Jaunā", "place": "Koknese"},
        )
    )
    ok(client.post(f"/admin/registrations/{people[6].id}/cancel"))
    ok(
        client.post(
            f"/admin/registrations/{waiting[1].id}/confirm", data={"override_capacity": "y"}
        )
    )
    ok(client.post(f"/admin/events/{event.id}/checkin/{waiting[2].id}/seat"))
    ok(
        client.post(
            f"/admin/events/{event.id}/checkin/walk-in",
            data={"first_name": "Nāca", "last_name": "Pats", "place": "Aizkraukle"},
        )
    )
    ok(
        client.post(
            f"/admin/events/{event.id}/message",
            data={"audience": "confirmed", "subject": "Rīt", "body": "Tiekamies rīt."},
        )
    )
    for path in ("participants.csv", "participants.xlsx", "sign-in-sheet", "overview.csv"):
        ok(client.get(f"/admin/events/{event.id}/{path}"))

    attended = db.session.scalar(
        sa.select(sa.func.count()).where(Registration.attendance == Attendance.ATTENDED)
    )
    assert attended == 7  # five marked, one seated at the door, one walk-in
    db.session.refresh(people[6])
    db.session.refresh(waiting[0])
    db.session.refresh(waiting[1])
    assert people[6].status is RegistrationStatus.CANCELLED
    assert waiting[0].status is waiting[1].status is RegistrationStatus.CONFIRMED
    actions = audit_actions()
    assert actions.count(AuditAction.REGISTRATION_ADDED) == 6
    assert actions.count(AuditAction.EXPORTED) == 4
    assert AuditAction.MESSAGE_SENT in actions


def test_event_screens_while_another_process_writes(
    organiser_client, make_event, make_registration, neighbour
):
    client = organiser_client
    for n in range(3):
        ok(client.post("/admin/events/new", data=event_form(title=f"Domnīca {n}")))
    draft = db.session.scalar(sa.select(Event).where(Event.title == "Domnīca 0"))
    ok(client.post(f"/admin/events/{draft.id}/publish"))
    ok(client.post(f"/admin/events/{draft.id}/unpublish"))
    ok(client.post(f"/admin/events/{draft.id}/publish"))

    event = make_event(capacity=1)
    make_registration(event)
    make_registration(event, status=RegistrationStatus.WAITLISTED)
    ok(client.post(f"/admin/events/{event.id}/edit", data=edit_data(event, capacity="2")))
    later = to_riga(event.starts_at + timedelta(days=2)).date().isoformat()
    ok(
        client.post(
            f"/admin/events/{event.id}/duplicate",
            data={"title": "Kopija", "starts_on": later, "venue_name": "Skola"},
        )
    )
    ok(client.post(f"/admin/events/{event.id}/cancel", data={"reason": "Lektors saslima."}))

    db.session.refresh(event)
    db.session.refresh(draft)
    assert draft.status is EventStatus.PUBLISHED
    assert event.is_cancelled and (event.capacity, event.confirmed_count) == (2, 2)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Event)) == 5
    assert audit_actions().count(AuditAction.EVENT_CREATED) == 3


def test_accounts_and_mail_while_another_process_writes(
    app, client, admin, make_event, make_registration, neighbour
):
    registration = make_registration(make_event())
    message = make_outbox_message(registration, state=OutboxState.FAILED)
    for _ in range(3):
        ok(log_in(client, admin.email))
    ok(
        client.post(
            "/admin/organisers/new",
            data={"email": "jauna@partneriba.example", "role": "organiser",
                  "password": PASSWORD, "password_repeat": PASSWORD},
        )
    )  # fmt: skip
    other = make_organiser("otrs@partneriba.example")
    ok(client.post(f"/admin/organisers/{other.id}/deactivate"))
    ok(client.post(f"/admin/organisers/{other.id}/activate"))
    new_password = "cita-gara-parole-2027"
    ok(
        client.post(
            f"/admin/organisers/{other.id}/password",
            data={"password": new_password, "password_repeat": new_password},
        )
    )
    ok(client.post(f"/admin/mail/{message.id}/retry"))

    assert db.session.get(Organiser, admin.id).last_login_at is not None
    assert db.session.get(Organiser, other.id).check_password(new_password)
    assert db.session.scalar(
        sa.select(Organiser.id).where(Organiser.email == "jauna@partneriba.example")
    )
    assert outbox.failed() == []
    assert now_utc() - db.session.get(Organiser, admin.id).last_login_at < timedelta(minutes=1)
