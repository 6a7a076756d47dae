"""From a sign-up to a message in the mail server, parsed as a mail client would."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest

from registration.extensions import db
from registration.mail import outbox
from registration.mail.sender import send_pending
from registration.models import OutboxMessage, OutboxState, RegistrationStatus

from .helpers import calendar_of, html_of, rows, sign_up, text_of

# Friday 24 September 2027, 10:00 in Riga (UTC+3 in summer).
SEPTEMBER = datetime(2027, 9, 24, 7, 0, tzinfo=UTC)


def test_a_confirmation_reaches_the_server_in_latvian(app, client, smtp_server, make_event):
    event = make_event(
        title="NVO domnīca Skrīveros",
        starts_at=SEPTEMBER,
        venue_name="Skrīveru kultūras nams",
        venue_address="Daugavas iela 54, Skrīveri",
        practical_info="Ņemiet līdzi labu garastāvokli.",
        contact_email="info@partneriba.example",
        contact_phone="+37120000000",
    )
    registration = sign_up(event, first_name="Jānis", last_name="Ozoliņš", email="janis@example.lv")

    report = send_pending()

    assert report.sent == 1
    [received] = smtp_server.received
    assert received.rcpt_tos == ["janis@example.lv"]
    assert received.mail_from == "pieteikumi@partneriba.example"
    message = received.message
    assert message["Subject"] == "Pieteikums apstiprināts: NVO domnīca Skrīveros"
    assert message["From"].addresses[0].display_name == "Biedrība „Lauku partnerība”"
    assert message["From"].addresses[0].addr_spec == "pieteikumi@partneriba.example"
    assert message["To"].addresses[0].display_name == "Jānis Ozoliņš"
    assert message["Reply-To"].addresses[0].addr_spec == "info@partneriba.example"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Message-ID"] == rows()[0].message_id
    text = text_of(message)
    assert "piektdiena, 2027. gada 24. septembris, 10:00–12:00" in text
    assert "Skrīveru kultūras nams, Daugavas iela 54, Skrīveri" in text
    assert "Ņemiet līdzi labu garastāvokli." in text
    assert "+37120000000" in text
    assert "Skrīveru kultūras nams" in html_of(message)

    # The link in the email opens the person's own registration.
    manage_url = next(word for word in text.split() if "/pieteikums/" in word)
    assert manage_url in html_of(message)
    page = client.get(urlsplit(manage_url).path)
    assert page.status_code == 200
    assert "Jānis Ozoliņš" in page.get_data(as_text=True)

    calendar, part = calendar_of(message)
    assert part.get_param("method") == "PUBLISH"
    assert part.get_filename() == f"{event.slug}.ics"
    assert calendar.method.value == "PUBLISH"
    assert calendar.vevent.uid.value == event.uid
    assert calendar.vevent.dtstart.value.astimezone(UTC) == SEPTEMBER
    assert calendar.vevent.status.value == "CONFIRMED"
    assert registration.id == rows()[0].registration_id
    assert rows()[0].state is OutboxState.SENT


def test_a_person_who_signed_up_in_english_gets_english(app, smtp_server, make_event):
    event = make_event(title="Think tank", starts_at=SEPTEMBER)
    sign_up(event, language="en", first_name="Anna", last_name="Liepa")

    send_pending()

    message = smtp_server.messages()[0]
    assert message["Subject"] == "Registration confirmed: Think tank"
    text = text_of(message)
    assert "Hello Anna Liepa," in text
    assert "Friday, 24 September 2027, 10:00–12:00" in text
    calendar, _ = calendar_of(message)
    assert calendar.vevent.uid.value == event.uid


def test_nothing_is_sent_before_the_commit_and_a_rollback_sends_nothing(
    app, smtp_server, make_event
):
    event = make_event()
    from registration import signals
    from tests import factories

    registration = factories.make_registration(event, commit=False)
    db.session.flush()
    signals.registration_created.send(registration)
    # Queued in this transaction only.
    assert [(m.kind, m.registration_id) for m in rows()] == [("confirmation", registration.id)]
    db.session.rollback()

    assert send_pending().sent == 0
    assert rows() == []
    assert smtp_server.received == []


def test_the_outbox_never_stores_a_working_manage_link(app, smtp_server, make_event):
    from registration.services.tokens import manage_token

    registration = sign_up(make_event(), first_name="Līga")
    token = manage_token(registration)
    stored = rows()[0]
    assert token not in stored.text_body
    assert token not in (stored.html_body or "")
    assert all(a.data is None for a in stored.attachments)  # the .ics is made when sending

    send_pending()

    message = smtp_server.messages()[0]
    assert token in text_of(message)
    calendar, _ = calendar_of(message)
    assert token in calendar.vevent.description.value


@pytest.mark.parametrize(
    "first_name",
    [
        "Anna\r\nBcc: victim@example.com",
        'Anna "The <Boss>"',
        "Ēriks 🎉 Šķēle",
        "O'Neil, <script>alert(1)</script>",
        "Jānis\nSubject: pwned",
    ],
)
def test_names_make_valid_headers_and_show_as_typed(app, smtp_server, make_event, first_name):
    event = make_event(title='Seminārs "Kopā" <2027> 🎉\r\nX-Injected: yes')
    sign_up(event, first_name=first_name, last_name="Bērziņa")

    assert send_pending().sent == 1

    [received] = smtp_server.received
    assert received.rcpt_tos == [received.rcpt_tos[0]]  # one recipient, nobody added
    message = received.message
    assert "Bcc" not in message and "X-Injected" not in message
    for header in ("From", "To", "Subject", "Reply-To"):
        assert message[header].defects == (), header
    # Headers are 7-bit ASCII on the wire, other letters in RFC 2047 encoded words of at
    # most 75 characters, lines far below the hard limit of 998.
    head = received.data.split(b"\r\n\r\n")[0].decode("ascii")
    assert max(len(line) for line in head.split("\r\n")) <= 998
    assert all(len(word) <= 75 for word in re.findall(r"=\?[^?]+\?[bBqQ]\?[^?]*\?=", head))
    one_line_name = " ".join(f"{first_name} Bērziņa".split())
    assert message["To"].addresses[0].display_name == one_line_name
    assert (
        message["Subject"] == 'Pieteikums apstiprināts: Seminārs "Kopā" <2027> 🎉 X-Injected: yes'
    )
    # The text body shows the name exactly as typed; the HTML body escapes it.
    assert first_name.split("\n")[-1] in text_of(message)
    assert "<script>" not in html_of(message)


def test_an_address_the_server_refuses_is_failed_with_its_reason(app, smtp_server, make_event):
    smtp_server.handler.refuse["nav@example.lv"] = "550 5.1.1 <nav@example.lv>: no such user"
    event = make_event()
    sign_up(event, email="nav@example.lv")
    sign_up(event, email="ir@example.lv")

    report = send_pending()

    assert (report.sent, report.failed) == (1, 1)
    failed = rows(recipient="nav@example.lv")[0]
    assert failed.state is OutboxState.FAILED
    assert failed.last_error == "550 5.1.1 <nav@example.lv>: no such user"
    assert [r.rcpt_tos for r in smtp_server.received] == [["ir@example.lv"]]
    # Retried from the back office later, it goes out once it is accepted.
    del smtp_server.handler.refuse["nav@example.lv"]
    outbox.retry(failed.id)
    db.session.commit()
    assert send_pending().sent == 1
    assert len(smtp_server.received) == 2


def test_a_temporary_refusal_is_retried_after_a_backoff(app, smtp_server, make_event):
    from datetime import timedelta

    from registration.timeutil import frozen_time, now_utc

    smtp_server.handler.refuse["pilns@example.lv"] = "452 4.2.2 Mailbox full"
    sign_up(make_event(), email="pilns@example.lv")
    start = now_utc()

    with frozen_time(start):
        assert send_pending().deferred == 1
    row = rows()[0]
    assert row.state is OutboxState.PENDING
    assert row.attempts == 1
    assert row.last_error == "452 4.2.2 Mailbox full"
    base = app.config["MAIL_RETRY_BASE_SECONDS"]
    assert start + timedelta(seconds=base / 2) <= row.next_attempt_at
    assert row.next_attempt_at <= start + timedelta(seconds=base)

    with frozen_time(start + timedelta(seconds=base / 4)):
        assert send_pending().handled == 0  # not yet due

    with frozen_time(row.next_attempt_at):
        smtp_server.handler.refuse.clear()
        assert send_pending().sent == 1
    assert len(smtp_server.received) == 1
    assert rows()[0].state is OutboxState.SENT


def test_a_message_that_keeps_failing_gives_up_after_the_last_attempt(app, smtp_server, make_event):
    from datetime import timedelta

    from registration.timeutil import frozen_time, now_utc

    app.config["MAIL_MAX_ATTEMPTS"] = 3
    smtp_server.handler.refuse["pilns@example.lv"] = "451 4.3.0 Try later"
    sign_up(make_event(), email="pilns@example.lv")
    moment = now_utc()
    for _ in range(3):
        moment += timedelta(hours=2)
        with frozen_time(moment):
            send_pending()
    row = rows()[0]
    assert row.state is OutboxState.FAILED
    assert row.attempts == 3
    assert row.last_error == "451 4.3.0 Try later"


def test_messages_after_a_refused_one_still_go_out_in_the_same_batch(app, smtp_server, make_event):
    smtp_server.handler.refuse["a@example.lv"] = "550 5.7.1 Rejected"
    event = make_event(capacity=None)
    for address in ("a@example.lv", "b@example.lv", "c@example.lv"):
        sign_up(event, email=address)
    report = send_pending()
    assert (report.sent, report.failed) == (2, 1)


def test_a_written_row_for_a_registration_erased_meanwhile_still_goes_without_its_link(
    app, smtp_server, make_event
):
    registration = sign_up(make_event())
    message = rows()[0]
    outbox.keep_written(message, "Sveiki", f"Saite: {outbox.MANAGE_LINK_PLACEHOLDER}", None)
    message.registration_id = None
    db.session.delete(registration)
    db.session.commit()

    assert send_pending().sent == 1
    received = smtp_server.messages()[0]
    assert "%%MANAGE_LINK%%" not in text_of(received)
    assert list(received.iter_attachments()) == []


def test_an_unwritten_row_whose_registration_was_erased_fails_with_the_reason(
    app, smtp_server, make_event
):
    registration = sign_up(make_event())
    message = rows()[0]
    assert not message.written
    message.registration_id = None
    db.session.delete(registration)
    db.session.commit()

    report = send_pending()
    assert (report.sent, report.failed) == (0, 1)
    assert smtp_server.messages() == []
    row = db.session.get(OutboxMessage, message.id, populate_existing=True)
    assert row.state is OutboxState.FAILED
    assert "erased" in row.last_error


def test_the_status_of_a_registration_picks_the_message(app, smtp_server, make_event):
    event = make_event(capacity=1)
    sign_up(event, status=RegistrationStatus.WAITLISTED)
    send_pending()
    message = smtp_server.messages()[0]
    assert message["Subject"].startswith("Jūs esat gaidīšanas sarakstā")
    assert db.session.scalar(db.select(OutboxMessage.kind)) == "waitlisted"
