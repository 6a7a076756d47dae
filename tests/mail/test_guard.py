"""No "We look forward to seeing you!" after the event, nor for a draft nobody can see yet."""

from __future__ import annotations

from datetime import timedelta

import pytest

from registration import signals
from registration.extensions import db
from registration.mail.sender import send_pending
from registration.models import (
    Attendance,
    EventStatus,
    Organiser,
    RegistrationSource,
    RegistrationStatus,
)
from registration.services import booking, participants
from registration.services.booking import SignUpDetails
from registration.timeutil import now_utc

from .helpers import calendar_of, rows, text_of


@pytest.fixture
def organiser(app) -> Organiser:
    organiser = Organiser(email="ilze@partneriba.example", password_hash="x", name="Ilze")
    db.session.add(organiser)
    db.session.commit()
    return organiser


def details(email="anna@example.lv", **extra) -> SignUpDetails:
    return SignUpDetails(first_name="Anna", last_name="Liepa", email=email, **extra)


def deliver(smtp_server):
    before = len(smtp_server.received)
    send_pending()
    return [r.message for r in smtp_server.received[before:]]


def test_people_typed_in_from_the_sign_in_sheet_after_the_event_get_no_mail(
    app, smtp_server, make_event, organiser
):
    event = make_event(starts_at=now_utc() - timedelta(days=2))
    result = participants.add(event.id, details(), actor=organiser)
    walk_in = participants.add_walk_in(
        event.id, details("janis@example.lv", place="Koknese"), actor=organiser
    )

    assert result.registration.status is RegistrationStatus.CONFIRMED
    assert walk_in.attendance is Attendance.ATTENDED
    assert rows() == []
    assert deliver(smtp_server) == []


def test_an_organiser_adding_people_to_a_draft_writes_to_nobody(
    app, smtp_server, make_event, organiser
):
    event = make_event(status=EventStatus.DRAFT, capacity=1)
    participants.add(event.id, details(), actor=organiser)
    waiting = participants.add(event.id, details("janis@example.lv"), actor=organiser)
    assert waiting.registration.status is RegistrationStatus.WAITLISTED
    participants.confirm(waiting.registration.id, actor=organiser, override_capacity=True)
    participants.cancel(waiting.registration.id, actor=organiser)
    assert rows() == []


def test_an_organiser_adding_someone_to_an_upcoming_event_still_confirms_with_a_calendar(
    app, smtp_server, make_event, organiser
):
    event = make_event(title="Seminārs Sunākstē")
    participants.add(event.id, details(), actor=organiser)
    [message] = deliver(smtp_server)
    assert message["Subject"] == "Pieteikums apstiprināts: Seminārs Sunākstē"
    assert "Gaidīsim Jūs!" in text_of(message)
    calendar, _ = calendar_of(message)
    assert calendar.vevent.uid.value == event.uid


def test_a_walk_in_while_the_event_is_on_gets_the_confirmation(
    app, smtp_server, make_event, organiser
):
    # Only an event that has ended is quiet: at the door, the link to the registration helps.
    event = make_event(starts_at=now_utc() - timedelta(minutes=30))
    participants.add_walk_in(event.id, details(), actor=organiser)
    assert [r.kind for r in rows()] == ["confirmation"]


def test_seating_cancelling_and_changing_after_the_event_write_to_nobody(
    app, smtp_server, make_event, organiser
):
    event = make_event(capacity=1)
    first = booking.sign_up(event.id, details()).registration
    waiting = booking.sign_up(event.id, details("janis@example.lv")).registration
    sent_before = len(deliver(smtp_server))
    assert sent_before == 2

    event.starts_at = now_utc() - timedelta(hours=3)
    event.ends_at = now_utc() - timedelta(hours=1)
    db.session.commit()
    participants.confirm(waiting.id, actor=organiser, override_capacity=True)
    participants.cancel(first.id, actor=organiser)
    signals.event_changed.send(event, changes={"starts_at"})
    db.session.commit()

    assert len(rows()) == 2
    assert deliver(smtp_server) == []


def test_people_the_organisers_enter_themselves_send_the_contact_no_notice(
    app, smtp_server, make_event, organiser
):
    # Typing in a 30-person sign-in sheet must not send the contact 30 notices.
    event = make_event(
        starts_at=now_utc() - timedelta(days=1),
        notify_organiser=True,
        contact_email="inese@partneriba.example",
    )
    participants.add(event.id, details(), actor=organiser, source=RegistrationSource.ORGANISER)
    assert rows() == []
