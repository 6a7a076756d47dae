"""The messages a booking causes are queued unwritten in its transaction and written by the
sender: the row is committed (or undone) with the seat, the sender writes it from the
registration as it is then, and keeps on the row what it sent."""

from __future__ import annotations

import pytest

from registration.extensions import db
from registration.mail import outbox
from registration.mail.sender import send_pending
from registration.models import OutboxAttachment, OutboxMessage, OutboxState, RegistrationStatus
from registration.services import DomainError, booking, unit_of_work

from .helpers import calendar_of, rows, text_of


def details(n: int = 0, **fields) -> booking.SignUpDetails:
    return booking.SignUpDetails(
        first_name="Ilze", last_name=f"Kalniņa {n}", email=f"ilze{n}@example.lv", **fields
    )


def test_a_sign_up_commits_its_message_unwritten_with_the_seat(app, make_event):
    event = make_event(capacity=5)
    result = booking.sign_up(event.id, details())

    (row,) = rows()
    assert (row.kind, row.registration_id, row.state) == (
        "confirmation",
        result.registration.id,
        OutboxState.PENDING,
    )
    assert not row.written and row.text_body == "" and row.subject == ""
    assert db.session.query(OutboxAttachment).count() == 0


def test_a_sign_up_undone_leaves_no_message(app, make_event):
    event = make_event(capacity=5)
    with pytest.raises(DomainError), unit_of_work():
        booking.sign_up(event.id, details())
        raise DomainError("undone")
    assert rows() == []


def test_the_sender_sends_what_it_writes_and_keeps_it(app, smtp_server, make_event):
    event = make_event(title="Domnīca Skrīveros", capacity=5)
    booking.sign_up(event.id, details())

    assert send_pending().sent == 1
    received = smtp_server.messages()[0]
    (row,) = rows()
    assert row.written and row.writing_context is None
    assert row.subject == str(received["Subject"]) == "Pieteikums apstiprināts: Domnīca Skrīveros"
    # The kept copy holds the placeholder, the message the working link.
    assert outbox.MANAGE_LINK_PLACEHOLDER in row.text_body
    assert "/pieteikums/" in text_of(received)
    assert row.text_body.split(outbox.MANAGE_LINK_PLACEHOLDER)[0] in text_of(received)
    calendar, _part = calendar_of(received)
    assert calendar.vevent.summary.value == "Domnīca Skrīveros"
    assert [a.generated_by for a in row.attachments] == [OutboxAttachment.PERSONAL_CALENDAR]


def test_a_refused_message_is_kept_written_and_sent_whole_again(app, smtp_server, make_event):
    smtp_server.handler.refuse["ilze0@example.lv"] = "550 5.1.1 No such user"
    event = make_event(title="Seminārs", capacity=5)
    booking.sign_up(event.id, details())
    assert send_pending().failed == 1
    (row,) = rows()
    assert row.state is OutboxState.FAILED
    assert row.written and row.subject == "Pieteikums apstiprināts: Seminārs"

    del smtp_server.handler.refuse["ilze0@example.lv"]
    outbox.retry(row.id)
    db.session.commit()
    assert send_pending().sent == 1
    received = smtp_server.messages()[0]
    assert received["Subject"] == "Pieteikums apstiprināts: Seminārs"
    calendar_of(received)  # the calendar file once, not twice
    assert len(db.session.get(OutboxMessage, row.id).attachments) == 1


def test_a_waiting_place_is_told_as_it_stands_when_the_mail_leaves(app, smtp_server, make_event):
    event = make_event(capacity=1)
    booking.sign_up(event.id, details(0))
    ahead = booking.sign_up(event.id, details(1)).registration
    behind = booking.sign_up(event.id, details(2)).registration
    assert behind.status is RegistrationStatus.WAITLISTED
    # The person ahead leaves before the mail goes out.
    booking.cancel(ahead.id)

    send_pending()
    to_behind = [m for m in smtp_server.messages() if m["To"].addresses[0].username == "ilze2"]
    assert "Jūsu vieta rindā: 1." in text_of(to_behind[0])


def test_a_message_overtaken_before_it_leaves_is_not_sent(app, smtp_server, make_event):
    event = make_event(title="Mācību brauciens", capacity=1)
    seated = booking.sign_up(event.id, details(0)).registration
    waiting = booking.sign_up(event.id, details(1)).registration
    # The seat frees up and goes to the person waiting before any mail has left: they hear
    # that a place is theirs, not that they wait; the one who left, that it is cancelled.
    booking.cancel(seated.id)

    report = send_pending()
    assert (report.sent, report.dropped, report.failed) == (2, 2, 0)
    subjects = sorted(str(m["Subject"]) for m in smtp_server.messages())
    assert subjects == [
        "Jums ir vieta: Mācību brauciens",
        "Pieteikums atcelts: Mācību brauciens",
    ]
    assert {r.kind for r in rows()} == {"promoted", "cancelled"}
    assert waiting.id in {r.registration_id for r in rows()}
