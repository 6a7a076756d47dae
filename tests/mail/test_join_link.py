"""The join link of an online event reaches people with a seat only: in no message, body or
calendar file, to anyone on the waiting list or cancelled."""

from __future__ import annotations

from datetime import timedelta

import pytest

from registration import signals
from registration.extensions import db
from registration.mail import messages
from registration.mail.reminders import queue_due_reminders
from registration.mail.sender import send_pending
from registration.models import EventStatus, RegistrationStatus
from registration.timeutil import frozen_time, now_utc

from .helpers import sign_up

JOIN_URL = "https://meet.example/noslegums-slepena-istaba"


def everything_in(message) -> str:
    """Every text part of a received message, decoded, calendar lines unfolded."""
    texts = []
    for part in message.walk():
        if part.get_content_maintype() == "text":
            content = part.get_content()
            if isinstance(content, bytes):
                content = content.decode("utf-8")
            texts.append(content.replace("\r\n ", "").replace("\n ", ""))
    return "\n".join(texts)


def received_by(smtp_server) -> dict[str, list]:
    send_pending()
    found: dict[str, list] = {}
    for envelope in smtp_server.received:
        found.setdefault(envelope.rcpt_tos[0], []).append(envelope.message)
    return found


@pytest.fixture
def online(make_event):
    return make_event(
        title="Noslēguma pasākums",
        capacity=1,
        is_online=True,
        online_url=JOIN_URL,
        venue_name="",
        venue_address="",
        reminder_hours=24,
    )


def test_nobody_without_a_seat_sees_the_join_link(app, smtp_server, online):
    # Every message must leave here, the second within the hour too (see test_unasked.py).
    app.config["MAIL_UNCONFIRMED_PER_HOUR"] = None
    seated = sign_up(online, email="sezh@example.lv")
    waiting = sign_up(online, email="gaida@example.lv", status=RegistrationStatus.WAITLISTED)
    leaving = sign_up(online, email="aiziet@example.lv", status=RegistrationStatus.WAITLISTED)

    # Someone on the list signs up again and is sent their link.
    messages.queue_duplicate(waiting)
    # The organisers write to the waiting list and to everyone.
    messages.queue_participant_message(online, "waitlisted", "Rinda", "Jūs esat rindā.")
    messages.queue_participant_message(online, "all", "Visiem", "Programma pielikumā.")
    db.session.commit()
    send_pending()  # written and sent while they wait and the event still takes place
    # One of them gives up their place in the queue.
    leaving.status = RegistrationStatus.CANCELLED
    signals.registration_cancelled.send(leaving)
    db.session.commit()
    # The day before: reminders; then the event is cancelled.
    with frozen_time(online.starts_at - timedelta(hours=2)):
        assert queue_due_reminders() == 1
        db.session.commit()
        online.status = EventStatus.CANCELLED
        online.cancellation_reason = "Lektors saslima."
        online.cancelled_at = now_utc()
        signals.event_cancelled.send(online)
        db.session.commit()
        mail = received_by(smtp_server)

    subjects = {address: [str(m["Subject"]) for m in sent] for address, sent in mail.items()}
    # Waiting list, the two messages and the cancellation; the one who stays on the list also
    # asked again (duplicate) and heard of the cancelled event.
    assert len(subjects["aiziet@example.lv"]) == 4, subjects
    assert len(subjects["gaida@example.lv"]) == 5, subjects
    for address in ("gaida@example.lv", "aiziet@example.lv"):
        for message in mail[address]:
            assert JOIN_URL not in everything_in(message), message["Subject"]
    # …while the person with the seat has it in the confirmation (and its calendar file) and
    # the reminder, but no longer once the event is cancelled (the test would notice a link
    # that reached nobody).
    with_link = [m["Subject"] for m in mail["sezh@example.lv"] if JOIN_URL in everything_in(m)]
    assert [s.split(":")[0] for s in with_link] == ["Pieteikums apstiprināts", "Atgādinājums"]
    assert seated.status is RegistrationStatus.CONFIRMED


def test_a_promoted_person_gets_the_join_link_with_the_seat(app, smtp_server, online):
    sign_up(online, email="sezh@example.lv")
    waiting = sign_up(online, email="gaida@example.lv", status=RegistrationStatus.WAITLISTED)
    [before] = received_by(smtp_server)["gaida@example.lv"]
    assert JOIN_URL not in everything_in(before)

    already = len(smtp_server.received)
    waiting.status = RegistrationStatus.CONFIRMED
    waiting.confirmed_at = now_utc()
    online.confirmed_count += 1
    online.capacity = 2
    signals.registration_promoted.send(waiting)
    db.session.commit()
    send_pending()
    [promoted] = [r.message for r in smtp_server.received[already:]]
    assert promoted["To"].addresses[0].addr_spec == "gaida@example.lv"
    assert JOIN_URL in everything_in(promoted)
