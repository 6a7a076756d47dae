"""Nothing lost, nothing twice: outages, a sender killed mid-batch, senders side by side."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections import Counter
from datetime import timedelta

import flask_mail
import pytest

from registration.extensions import db
from registration.mail import outbox
from registration.mail.sender import send_pending
from registration.models import OutboxState
from registration.timeutil import frozen_time, now_utc
from tests.outage import DatabaseOutage, outage_after_next_commit

from .helpers import rows, sign_up, states
from .processes import finish, start_flask
from .smtp import HangingServer

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")


def sign_ups(event, count: int, prefix: str = "persona") -> list[str]:
    addresses = [f"{prefix}{n}@example.lv" for n in range(count)]
    for address in addresses:
        sign_up(event, email=address)
    return addresses


def assert_each_once(smtp_server, addresses) -> None:
    received = Counter(r.rcpt_tos[0] for r in smtp_server.received)
    assert received == Counter(addresses), "lost or doubled"
    message_ids = Counter(m["Message-ID"] for m in smtp_server.messages())
    assert all(n == 1 for n in message_ids.values())


@pytest.mark.smtp_down
def test_an_outage_delays_the_mail_and_loses_none(app, smtp_server, make_event):
    event = make_event(capacity=None)
    start = now_utc()
    with frozen_time(start):
        addresses = sign_ups(event, 10)
        report = send_pending()
    assert report.sent == 0
    assert report.connection_error.startswith("ConnectionRefusedError")
    assert states() == {"pending": 10}
    assert {r.attempts for r in rows()} == {1}
    assert all(r.next_attempt_at > start for r in rows())

    # Another try while still down: nothing is due yet, nothing is hammered.
    with frozen_time(start + timedelta(seconds=5)):
        assert send_pending().handled == 0

    smtp_server.start()
    with frozen_time(start + timedelta(hours=1)):
        assert send_pending().sent == 10
        assert send_pending().handled == 0
    assert_each_once(smtp_server, addresses)
    assert states() == {"sent": 10}


def test_a_hanging_server_costs_one_timeout_not_one_per_message(app, make_event):
    hanging = HangingServer()
    try:
        app.config.update(MAIL_PORT=hanging.port, MAIL_TIMEOUT=1)
        app.extensions["mail"].port = hanging.port
        sign_ups(make_event(capacity=None), 5)
        started = time.monotonic()
        report = send_pending()
        elapsed = time.monotonic() - started
    finally:
        hanging.close()
    assert report.connection_error == "the mail server did not answer in time"
    assert report.deferred == 5
    assert elapsed < 3
    assert {r.last_error for r in rows()} == {"the mail server did not answer in time"}


def test_a_sender_killed_mid_batch_is_finished_by_another(app, smtp_server, make_event):
    addresses = sign_ups(make_event(capacity=None), 12)
    # The fifth message hangs in DATA, never accepted, while the sender is killed.
    smtp_server.handler.hang_after = 4
    process = start_flask(
        app, "mail", "send", MAIL_BATCH_SIZE=5, MAIL_TIMEOUT=30, MAIL_LEASE_SECONDS=300
    )
    try:
        assert smtp_server.handler.hanging.wait(30), process.stderr
    finally:
        process.send_signal(signal.SIGKILL)
        finish(process)
    smtp_server.handler.hang_after = None
    db.session.expire_all()
    assert states() == {"sent": 4, "sending": 1, "pending": 7}
    [stuck] = rows(state=OutboxState.SENDING)

    # A second sender: the dead one's row waits for its lease, then goes too.
    assert send_pending().sent == 7
    assert stuck.id in [r.id for r in rows(state=OutboxState.SENDING)]
    with frozen_time(stuck.lease_expires_at + timedelta(seconds=1)):
        assert send_pending().sent == 1
    assert_each_once(smtp_server, addresses)
    assert states() == {"sent": 12}


def test_a_crash_after_the_server_accepted_sends_again_with_the_same_message_id(
    app, smtp_server, make_event, monkeypatch
):
    """The at-least-once window: accepted by the server, the row not yet marked sent."""
    sign_up(make_event(), email="anna@example.lv")

    def crash(message):
        raise SystemExit("killed between 250 OK and the commit")

    monkeypatch.setattr(outbox, "mark_sent", crash)
    with pytest.raises(SystemExit):
        send_pending()
    monkeypatch.undo()
    db.session.rollback()
    [row] = rows()
    assert row.state is OutboxState.SENDING

    with frozen_time(row.lease_expires_at + timedelta(seconds=1)):
        assert send_pending().sent == 1
    first, second = smtp_server.messages()
    assert first["Message-ID"] == second["Message-ID"] == row.message_id


def test_two_senders_at_once_deliver_every_message_once(app, smtp_server, make_event):
    addresses = sign_ups(make_event(capacity=None), 60)
    app.config["MAIL_BATCH_SIZE"] = 4
    smtp_server.handler.delay = 0.005
    reports = []

    def run() -> None:
        with app.app_context():
            reports.append(send_pending())

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sum(r.sent for r in reports) == 60
    assert all(r.sent > 0 for r in reports), "one sender did all the work"
    assert_each_once(smtp_server, addresses)


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="needs TEST_DATABASE_URL (PostgreSQL)")
def test_two_sender_processes_on_postgresql_deliver_every_message_once(
    app, smtp_server, make_event
):
    assert db.engine.dialect.name == "postgresql"
    addresses = sign_ups(make_event(capacity=None), 200)
    smtp_server.handler.delay = 0.002
    db.session.commit()
    processes = [start_flask(app, "mail", "send", MAIL_BATCH_SIZE=5) for _ in range(2)]
    results = [finish(process, timeout=120) for process in processes]
    assert [code for code, _, _ in results] == [0, 0], results
    sent = [int(out.split("sent ")[1].split(",")[0]) for _, out, _ in results]
    assert sum(sent) == 200 and min(sent) > 0, sent
    assert_each_once(smtp_server, addresses)
    assert states() == {"sent": 200}


def _back_after(outage: DatabaseOutage, seconds: float) -> None:
    """The database answers again `seconds` from now."""
    timer = threading.Timer(seconds, outage.end)
    timer.daemon = True
    timer.start()


def test_a_message_sent_while_the_database_went_away_is_recorded_once_it_is_back(
    app, smtp_server, make_event
):
    addresses = sign_ups(make_event(capacity=None), 3)
    outage = DatabaseOutage(db.engine)

    def database_goes_away(app, message):
        if not outage.active and len(smtp_server.received) == 1:
            outage.start()  # the server has the first message; its row is not marked yet
            _back_after(outage, 1.5)

    with outage.installed(), flask_mail.email_dispatched.connected_to(database_goes_away):
        report = send_pending()

    assert report.sent == 3
    assert states() == {"sent": 3}  # nothing left "sending" until its lease runs out ...
    with frozen_time(now_utc() + timedelta(seconds=app.config["MAIL_LEASE_SECONDS"] + 1)):
        assert send_pending().handled == 0  # ... and so nothing goes twice after it
    assert_each_once(smtp_server, addresses)


def test_a_claim_the_database_lost_track_of_is_given_back_once_it_is_back(
    app, smtp_server, make_event
):
    addresses = sign_ups(make_event(capacity=None), 3)
    db.session.commit()

    with outage_after_next_commit(db.engine) as outage:  # the claim's commit
        _back_after(outage, 1.5)
        report = send_pending()

    assert report.sent == 3
    assert states() == {"sent": 3}
    assert {r.attempts for r in rows()} == {1}  # the lost claim counted no attempt
    assert_each_once(smtp_server, addresses)
