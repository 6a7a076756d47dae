"""Each change in a registration's life sends the message a person expects, once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from registration import signals
from registration.extensions import db
from registration.mail import messages
from registration.mail.sender import send_pending
from registration.models import EventKind, EventStatus, Organiser, RegistrationStatus
from registration.services import DomainError
from registration.timeutil import now_utc

from .helpers import calendar_of, html_of, rows, sign_up, text_of

# Tuesday 19 October 2027, 08:00 in Riga (UTC+3 in summer time, until 31 October).
OCTOBER = datetime(2027, 10, 19, 5, 0, tzinfo=UTC)


def deliver(smtp_server):
    before = len(smtp_server.received)
    send_pending()
    return [r.message for r in smtp_server.received[before:]]


def test_a_waiting_person_learns_their_place_in_the_queue(app, smtp_server, make_event):
    event = make_event(capacity=1, title="Seminārs Sunākstē")
    sign_up(event)
    sign_up(event, status=RegistrationStatus.WAITLISTED)
    sign_up(event, status=RegistrationStatus.WAITLISTED, first_name="Pēteris")

    _confirmed, first, second = deliver(smtp_server)

    assert first["Subject"] == "Jūs esat gaidīšanas sarakstā: Seminārs Sunākstē"
    assert "Jūsu vieta rindā: 1." in text_of(first)
    assert "Jūsu vieta rindā: 2." in text_of(second)
    # No calendar entry for a seat not yet had.
    assert list(first.iter_attachments()) == []


def test_a_promoted_person_gets_the_good_news_and_the_calendar_file(app, smtp_server, make_event):
    event = make_event(capacity=1)
    registration = sign_up(event, status=RegistrationStatus.WAITLISTED)
    deliver(smtp_server)

    registration.status = RegistrationStatus.CONFIRMED
    registration.confirmed_at = now_utc()
    event.confirmed_count += 1
    signals.registration_promoted.send(registration)
    db.session.commit()
    [message] = deliver(smtp_server)

    assert message["Subject"] == f"Jums ir vieta: {event.title}"
    assert "Jūsu pieteikums tagad ir apstiprināts" in text_of(message)
    calendar, _ = calendar_of(message)
    assert calendar.vevent.uid.value == event.uid
    assert calendar.vevent.status.value == "CONFIRMED"


@pytest.mark.parametrize(
    ("by_organiser", "sentence"),
    [
        (False, "Kā lūdzāt, Jūsu pieteikums šim pasākumam ir atcelts"),
        (True, "Organizatori atcēla Jūsu pieteikumu šim pasākumam"),
    ],
)
def test_a_cancellation_is_confirmed(app, smtp_server, make_event, by_organiser, sentence):
    registration = sign_up(make_event())
    deliver(smtp_server)
    registration.status = RegistrationStatus.CANCELLED
    signals.registration_cancelled.send(registration, by_organiser=by_organiser)
    # Cancelling twice is harmless, and so is its message.
    signals.registration_cancelled.send(registration, by_organiser=by_organiser)
    db.session.commit()

    [message] = deliver(smtp_server)
    assert message["Subject"] == f"Pieteikums atcelts: {registration.event.title}"
    assert sentence in text_of(message)


def test_signing_up_again_sends_the_existing_link_at_most_hourly(
    app, client, smtp_server, make_event
):
    from urllib.parse import urlsplit

    from registration.timeutil import frozen_time

    # The hourly key is what is tested: not the rule for unconfirmed addresses
    # (test_unasked.py), which would hold the second message back.
    app.config["MAIL_UNCONFIRMED_PER_HOUR"] = None
    registration = sign_up(make_event(), email="anna@example.lv")
    deliver(smtp_server)
    start = now_utc()
    for minutes in (0, 10, 59):
        with frozen_time(start.replace(minute=0) + timedelta(minutes=minutes)):
            signals.registration_duplicate.send(registration)
            db.session.commit()
    with frozen_time(start.replace(minute=0) + timedelta(hours=1)):
        signals.registration_duplicate.send(registration)
        db.session.commit()
        first, second = deliver(smtp_server)
    assert first["Subject"] == second["Subject"] == f"Jūsu pieteikums: {registration.event.title}"
    text = text_of(first)
    assert "Jūsu pieteikums jau ir saņemts" in text
    link = next(word for word in text.split() if "/pieteikums/" in word)
    assert client.get(urlsplit(link).path).status_code == 200


def test_a_change_of_time_reaches_everyone_confirmed_with_the_updated_calendar(
    app, smtp_server, make_event
):
    event = make_event(capacity=3, starts_at=OCTOBER)
    anna = sign_up(event, email="anna@example.lv")
    sign_up(event, email="juris@example.lv")
    sign_up(event, email="gaida@example.lv", status=RegistrationStatus.WAITLISTED)
    cancelled = sign_up(event, email="atteicas@example.lv")
    cancelled.status = RegistrationStatus.CANCELLED
    event.confirmed_count -= 1
    db.session.commit()
    deliver(smtp_server)
    first_calendar, _ = calendar_of(
        next(m for m in smtp_server.messages() if m["To"].addresses[0].addr_spec == anna.email)
    )
    old_sequence = int(first_calendar.vevent.sequence.value)

    event.starts_at = OCTOBER + timedelta(hours=1)
    event.ends_at = OCTOBER + timedelta(hours=3)
    signals.event_changed.send(event, changes={"starts_at", "ends_at"})
    db.session.commit()
    changed = deliver(smtp_server)

    assert sorted(m["To"].addresses[0].addr_spec for m in changed) == [
        "anna@example.lv",
        "juris@example.lv",
    ]
    message = changed[0]
    assert message["Subject"] == f"Izmaiņas: {event.title}"
    assert "Ir mainīts norises laiks pasākumam, kuram pieteicāties." in text_of(message)
    assert "otrdiena, 2027. gada 19. oktobris, 09:00–11:00" in text_of(message)
    calendar, _ = calendar_of(message)
    assert calendar.vevent.uid.value == event.uid
    assert calendar.vevent.dtstart.value.astimezone(UTC) == OCTOBER + timedelta(hours=1)
    assert int(calendar.vevent.sequence.value) > old_sequence


def test_a_cancelled_event_is_announced_to_everyone_with_a_cancelled_calendar_entry(
    app, smtp_server, make_event
):
    event = make_event(capacity=1)
    sign_up(event, email="anna@example.lv")
    sign_up(event, email="gaida@example.lv", status=RegistrationStatus.WAITLISTED)
    deliver(smtp_server)

    event.status = EventStatus.CANCELLED
    event.cancellation_reason = "Lektors saslima."
    event.cancelled_at = now_utc()
    signals.event_cancelled.send(event)
    signals.event_cancelled.send(event)  # sent twice by mistake: still one message each
    db.session.commit()
    sent = deliver(smtp_server)

    assert sorted(m["To"].addresses[0].addr_spec for m in sent) == [
        "anna@example.lv",
        "gaida@example.lv",
    ]
    for message in sent:
        assert message["Subject"] == f"Atcelts: {event.title}"
        assert "Lektors saslima." in text_of(message)
        calendar, part = calendar_of(message)
        assert calendar.vevent.uid.value == event.uid
        assert calendar.vevent.status.value == "CANCELLED"
        assert part.get_param("method") == "PUBLISH"


def test_the_join_link_of_an_online_event_goes_only_to_confirmed_people(
    app, smtp_server, make_event
):
    event = make_event(
        capacity=1, is_online=True, online_url="https://meet.example/slepens", venue_name=""
    )
    sign_up(event)
    sign_up(event, status=RegistrationStatus.WAITLISTED)
    confirmed, waiting = deliver(smtp_server)
    assert "https://meet.example/slepens" in text_of(confirmed)
    assert "Kur: tiešsaistē" in text_of(confirmed)
    assert "https://meet.example/slepens" not in text_of(waiting)
    assert "https://meet.example/slepens" not in html_of(waiting)


def test_a_trip_confirmation_names_the_pickup_stop_and_its_time(app, smtp_server, make_event):
    event = make_event(
        kind=EventKind.STUDY_TRIP,
        starts_at=OCTOBER,
        stops=[("Aizkraukle, autoosta", 60), ("Koknese, baznīca", 30)],
        practical_info="Ņemiet līdzi pusdienas.",
    )
    sign_up(event, pickup_stop=event.pickup_stops[1])
    [message] = deliver(smtp_server)
    text = text_of(message)
    assert "Jūsu pieturvieta: Koknese, baznīca, izbraukšana 07:30" in text
    assert "Ņemiet līdzi pusdienas." in text


def test_the_organiser_hears_of_each_sign_up_when_the_event_asks(app, smtp_server, make_event):
    event = make_event(
        notify_organiser=True, contact_email="inese@partneriba.example", contact_name="Inese"
    )
    sign_up(
        event,
        first_name="Ģirts",
        last_name="<Kalniņš>",
        email="girts@example.lv",
        phone="+37129999999",
        needs="Ratiņkrēsls",
    )
    sent = deliver(smtp_server)
    notice = next(m for m in sent if m["To"].addresses[0].addr_spec == "inese@partneriba.example")
    assert notice["Subject"] == f"Jauns pieteikums: Ģirts <Kalniņš>, {event.title}"
    assert notice["Reply-To"].addresses[0].addr_spec == "girts@example.lv"
    text = text_of(notice)
    assert "Tālrunis: +37129999999" in text and "Vajadzības: Ratiņkrēsls" in text
    assert "&lt;Kalniņš&gt;" in html_of(notice)
    assert "/pieteikums/" not in text  # the person's private link is theirs alone


def test_without_notify_organiser_only_the_person_is_written_to(app, smtp_server, make_event):
    sign_up(make_event(contact_email="inese@partneriba.example"), email="anna@example.lv")
    assert [m["To"].addresses[0].addr_spec for m in deliver(smtp_server)] == ["anna@example.lv"]


def test_an_organisers_message_goes_to_the_chosen_audience(app, smtp_server, make_event):
    event = make_event(capacity=1)
    organiser = Organiser(email="inese@partneriba.example", password_hash="x")
    db.session.add(organiser)
    sign_up(event, email="anna@example.lv")
    sign_up(event, email="gaida@example.lv", status=RegistrationStatus.WAITLISTED, language="en")
    deliver(smtp_server)

    body = "Autobuss atiet 8:00.\n\nLūdzu, <b>nekavējiet</b>!\nPaldies."
    assert messages.queue_participant_message(event, "confirmed", "Svarīgi", body) == 1
    assert (
        messages.queue_participant_message(
            event, "all", "Par braucienu 🚌", body, sent_by=organiser
        )
        == 2
    )
    db.session.commit()
    sent = deliver(smtp_server)

    assert [(m["To"].addresses[0].addr_spec, str(m["Subject"])) for m in sent] == [
        ("anna@example.lv", "Svarīgi"),
        ("anna@example.lv", "Par braucienu 🚌"),
        ("gaida@example.lv", "Par braucienu 🚌"),
    ]
    anna, english = sent[1], sent[2]
    assert body in text_of(anna)
    assert "Auto-Submitted" not in anna  # a person wrote it
    assert "<p>Lūdzu, &lt;b&gt;nekavējiet&lt;/b&gt;!<br>" in html_of(anna)
    assert "Hello" in text_of(english)
    assert "/pieteikums/" in text_of(english)
    assert {r.sent_by_id for r in rows(kind="participant_message")} == {None, organiser.id}


@pytest.mark.parametrize(
    ("audience", "subject", "body"),
    [("everyone", "Tēma", "Teksts"), ("all", "  ", "Teksts"), ("all", "Tēma", "\n")],
)
def test_an_organisers_message_needs_an_audience_subject_and_body(
    app, make_event, audience, subject, body
):
    with app.test_request_context(), pytest.raises(DomainError):
        messages.queue_participant_message(make_event(), audience, subject, body)


def test_a_phone_sign_up_without_an_address_is_saved_without_a_message(app, make_event):
    from registration.models import RegistrationSource

    event = make_event(capacity=None)
    sign_up(event, email="", source=RegistrationSource.ORGANISER)
    sign_up(event, email="anna@example.lv")
    assert [r.recipient for r in rows()] == ["anna@example.lv"]
    assert messages.queue_participant_message(event, "all", "Svarīgi", "Teksts") == 1
