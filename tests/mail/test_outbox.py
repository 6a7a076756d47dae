"""The outbox's own rules: rows in the caller's transaction, atomic claims, leases, backoff."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from registration.extensions import db
from registration.mail import outbox
from registration.mail.sender import send_pending
from registration.models import OutboxMessage, OutboxState
from registration.services import DomainError
from registration.timeutil import frozen_time, now_utc

from .helpers import rows


def queue(n: int = 1, **fields) -> OutboxMessage | None:
    values = {
        "kind": "test",
        "recipient": f"persona{n}@example.lv",
        "subject": f"Ziņa {n}",
        "text": "Sveiki!",
        **fields,
    }
    return outbox.queue(**values)


def test_a_queued_message_belongs_to_the_callers_transaction(app):
    queue()
    assert rows() != []  # visible in this transaction (autoflush)
    db.session.rollback()
    assert rows() == []
    queue()
    db.session.commit()
    [row] = rows()
    assert row.state is OutboxState.PENDING
    assert row.attempts == 0
    assert row.message_id.startswith("<") and row.message_id.endswith("@partneriba.example>")


def test_a_dedupe_key_queues_a_message_only_once(app):
    assert queue(1, dedupe_key="reminder:1:2027") is not None
    db.session.commit()
    assert queue(2, dedupe_key="reminder:1:2027") is None
    db.session.commit()
    assert [r.recipient for r in rows()] == ["persona1@example.lv"]


def test_the_database_refuses_a_second_row_with_a_key_and_the_transaction_goes_on(app, monkeypatch):
    """As when two transactions raced past the check: the unique index decides."""
    queue(1, dedupe_key="once")
    db.session.commit()
    checks = iter([False])  # the first look misses the row, as in a race
    real_check = outbox.key_taken
    monkeypatch.setattr(outbox, "key_taken", lambda key: next(checks, real_check(key)))
    queue(2)  # other work in the same transaction
    assert queue(3, dedupe_key="once") is None
    db.session.commit()
    assert sorted(r.recipient for r in rows()) == ["persona1@example.lv", "persona2@example.lv"]


def test_header_values_lose_line_breaks(app):
    message = queue(
        recipient_name="Anna\r\nBcc: x@example.com",
        subject="Sveiki\nX-Evil: 1",
        headers={"X-Note\r\n": "a\r\nb"},
    )
    assert message.recipient_name == "Anna Bcc: x@example.com"
    assert message.subject == "Sveiki X-Evil: 1"
    assert message.headers == {"X-Note": "a b"}


def test_a_recipient_that_is_not_an_address_is_refused(app):
    with pytest.raises(ValueError):
        queue(recipient="nav adrese")


def test_two_claims_take_different_rows(app):
    for n in range(5):
        queue(n)
    db.session.commit()
    lease = timedelta(minutes=5)
    first = outbox.claim(3, lease, "sender-a")
    second = outbox.claim(3, lease, "sender-b")
    assert len(first) == 3 and len(second) == 2
    assert {m.id for m in first}.isdisjoint({m.id for m in second})
    assert outbox.claim(3, lease, "sender-c") == []
    assert {r.state for r in rows()} == {OutboxState.SENDING}
    assert all(r.attempts == 1 for r in rows())


def test_a_row_left_sending_is_claimed_again_once_its_lease_expires(app, smtp_server):
    queue()
    db.session.commit()
    start = now_utc()
    lease = timedelta(seconds=app.config["MAIL_LEASE_SECONDS"])
    with frozen_time(start):
        [claimed] = outbox.claim(10, lease, "dead-sender")  # and then the sender dies
    row = rows()[0]
    assert (row.state, row.claimed_by) == (OutboxState.SENDING, "dead-sender")
    assert row.lease_expires_at == start + lease

    with frozen_time(start + lease - timedelta(seconds=1)):
        assert send_pending().handled == 0  # still someone else's
    with frozen_time(start + lease):
        assert send_pending().sent == 1
    assert len(smtp_server.received) == 1
    row = rows()[0]
    db.session.refresh(row)
    assert row.state is OutboxState.SENT
    assert row.attempts == 2
    # The dead sender, were it to wake up, can no longer touch the row.
    assert outbox.mark_failed(claimed, "late") is False
    db.session.refresh(row)
    assert row.state is OutboxState.SENT


def test_a_sender_gives_back_rows_whose_lease_is_running_out(app, smtp_server):
    for n in range(3):
        queue(n)
    db.session.commit()
    start = now_utc()
    lease = timedelta(seconds=app.config["MAIL_LEASE_SECONDS"])
    with frozen_time(start):
        claimed = outbox.claim(10, lease, "slow-sender")
    # Too close to the end of the lease to start an SMTP exchange safely.
    from registration.mail import sender

    report = sender.Report()
    with frozen_time(start + lease - timedelta(seconds=1)):
        sender._deliver_batch(claimed, sender.SmtpTransport(app), report, None)
    assert report.released == 3
    assert [(r.state, r.attempts) for r in rows()] == [(OutboxState.PENDING, 0)] * 3
    assert smtp_server.received == []


def test_backoff_doubles_up_to_the_cap_with_jitter():
    rng = random.Random(7)
    nominal = [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]
    for attempts, expected in enumerate(nominal, start=1):
        delay = outbox.backoff_delay(attempts, base=30, cap=3600, rng=rng).total_seconds()
        assert expected / 2 <= delay <= expected
    # Rows that failed together do not all come back together.
    delays = {outbox.backoff_delay(3, base=30, cap=3600, rng=rng) for _ in range(20)}
    assert len(delays) > 10


def test_retry_puts_a_failed_message_back_in_the_queue(app):
    message = queue()
    message.state = OutboxState.FAILED
    message.attempts = 15
    message.last_error = "550 no such user"
    db.session.commit()

    assert outbox.failed() == [message]
    outbox.retry(message.id)
    db.session.commit()

    assert outbox.failed() == []
    row = rows()[0]
    assert (row.state, row.attempts) == (OutboxState.PENDING, 0)
    assert row.next_attempt_at <= now_utc()
    assert row.last_error == "550 no such user"  # kept until the next attempt tells more


def test_only_a_failed_message_can_be_retried(app):
    message = queue()
    db.session.commit()
    with app.test_request_context(), pytest.raises(DomainError):
        outbox.retry(message.id)
    with app.test_request_context(), pytest.raises(DomainError):
        outbox.retry(message.id + 100)


def test_status_counts_rows_and_names_the_oldest_pending(app):
    start = now_utc()
    with frozen_time(start - timedelta(hours=2)):
        oldest = queue(1)
    with frozen_time(start):
        queue(2)
        sent = queue(3)
        sent.state = OutboxState.SENT
        db.session.commit()
    status = outbox.status()
    assert status.counts == {
        OutboxState.PENDING: 2,
        OutboxState.SENDING: 0,
        OutboxState.SENT: 1,
        OutboxState.FAILED: 0,
    }
    assert status.oldest_pending.id == oldest.id
