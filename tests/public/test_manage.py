"""A person's private page: see, change, cancel."""

from __future__ import annotations

from datetime import timedelta

import pytest

from registration.extensions import db
from registration.models import EventKind, EventStatus, Registration, RegistrationStatus
from registration.services import booking, tokens
from registration.timeutil import frozen_time


@pytest.fixture
def signed_up(make_event):
    def sign_up(event=None, **fields):
        event = event or make_event(capacity=1)
        values = {
            "first_name": "Pēteris",
            "last_name": "Liepa",
            "email": "peteris@example.lv",
            "place": "Koknese",
        }
        values.update(fields)
        registration = booking.sign_up(event.id, booking.SignUpDetails(**values)).registration
        return registration, tokens.manage_token(registration)

    return sign_up


def test_manage_page_shows_the_registration_without_leaking_the_link(client, signed_up):
    _, token = signed_up()
    response = client.get(f"/pieteikums/{token}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Pēteris Liepa" in page
    assert "Apstiprināts" in page
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response.headers["Cache-Control"]


@pytest.mark.parametrize("token", ["x", "A" * 43, "../../etc/passwd", "%00", "a" * 500])
def test_wrong_tokens_are_a_plain_404(client, signed_up, token):
    signed_up()
    response = client.get(f"/pieteikums/{token}")
    assert response.status_code == 404
    assert "Pēteris" not in response.get_data(as_text=True)


def test_cancel_asks_first_and_only_post_cancels(client, signed_up, make_event):
    event = make_event(capacity=1)
    registration, token = signed_up(event)
    waiting, _ = signed_up(event, email="otrais@example.lv")
    confirm_page = client.get(f"/pieteikums/{token}/atcelt")
    assert confirm_page.status_code == 200
    assert "Jā, atcelt" in confirm_page.get_data(as_text=True)
    assert db.session.get(Registration, registration.id).status is RegistrationStatus.CONFIRMED

    response = client.post(f"/pieteikums/{token}/atcelt")
    assert response.status_code == 303
    assert db.session.get(Registration, registration.id).status is RegistrationStatus.CANCELLED
    assert db.session.get(Registration, waiting.id).status is RegistrationStatus.CONFIRMED
    page = client.get(f"/pieteikums/{token}").get_data(as_text=True)
    assert "Jūsu pieteikums ir atcelts." in page

    again = client.post(f"/pieteikums/{token}/atcelt")
    assert again.status_code == 303
    assert db.session.get(Registration, waiting.id).status is RegistrationStatus.CONFIRMED


def test_cannot_cancel_once_the_event_has_started(client, signed_up):
    registration, token = signed_up()
    with frozen_time(registration.event.starts_at + timedelta(minutes=1)):
        page = client.get(f"/pieteikums/{token}").get_data(as_text=True)
        assert "Atcelt pieteikumu" not in page
        client.post(f"/pieteikums/{token}/atcelt")
    assert db.session.get(Registration, registration.id).status is RegistrationStatus.CONFIRMED


def test_change_phone_needs_and_pickup_stop(client, signed_up, make_event):
    trip = make_event(
        kind=EventKind.STUDY_TRIP, stops=[("Aizkraukle", 30), ("Skrīveri", 15)], capacity=5
    )
    registration, token = signed_up(trip, pickup_stop_id=trip.pickup_stops[0].id)
    response = client.post(
        f"/pieteikums/{token}",
        data={
            "phone": "29 111 222",
            "needs": "Veģetārs ēdiens",
            "pickup_stop": str(trip.pickup_stops[1].id),
        },
    )
    assert response.status_code == 303
    registration = db.session.get(Registration, registration.id)
    assert registration.phone == "+37129111222"
    assert registration.needs == "Veģetārs ēdiens"
    assert registration.pickup_stop.place == "Skrīveri"
    assert registration.status is RegistrationStatus.CONFIRMED


def test_change_with_bad_phone_is_refused_and_nothing_changes(client, signed_up):
    registration, token = signed_up(phone="26123456")
    response = client.post(f"/pieteikums/{token}", data={"phone": "nav", "needs": "x"})
    assert response.status_code == 422
    registration = db.session.get(Registration, registration.id)
    assert (registration.phone, registration.needs) == ("+37126123456", "")


def test_waiting_person_sees_their_position(client, signed_up, make_event):
    event = make_event(capacity=1)
    signed_up(event)
    _, token = signed_up(event, email="otrais@example.lv")
    page = client.get(f"/pieteikums/{token}").get_data(as_text=True)
    assert "Gaidīšanas sarakstā" in page
    assert "1. vietā rindā" in page


def test_details_cannot_be_changed_after_the_event_even_by_a_direct_post(client, signed_up):
    registration, token = signed_up(phone="26123456")
    with frozen_time(registration.event.ends_at + timedelta(minutes=1)):
        page = client.get(f"/pieteikums/{token}").get_data(as_text=True)
        assert "Saglabāt izmaiņas" not in page
        response = client.post(f"/pieteikums/{token}", data={"phone": "29111222", "needs": "x"})
    assert response.status_code == 409
    assert "Pasākums ir beidzies" in response.get_data(as_text=True)
    registration = db.session.get(Registration, registration.id)
    assert (registration.phone, registration.needs) == ("+37126123456", "")


def test_a_cancelled_registration_cannot_be_changed_by_a_direct_post(client, signed_up):
    registration, token = signed_up()
    booking.cancel(registration.id)
    assert "Saglabāt izmaiņas" not in client.get(f"/pieteikums/{token}").get_data(as_text=True)
    response = client.post(f"/pieteikums/{token}", data={"phone": "29111222", "needs": "x"})
    assert response.status_code == 409
    assert db.session.get(Registration, registration.id).needs == ""


def test_the_join_link_shows_only_with_a_seat_at_an_event_still_on(client, signed_up, make_event):
    url = "https://meet.example.org/j/42"
    event = make_event(capacity=1, is_online=True, online_url=url)
    _, seated_token = signed_up(event)
    _, waiting_token = signed_up(event, email="otrais@example.lv")
    assert url in client.get(f"/pieteikums/{seated_token}").get_data(as_text=True)
    assert url not in client.get(f"/pieteikums/{waiting_token}").get_data(as_text=True)
    event.status = EventStatus.CANCELLED
    db.session.commit()
    assert url not in client.get(f"/pieteikums/{seated_token}").get_data(as_text=True)


def test_a_held_place_is_confirmed_with_a_button_not_by_opening_the_link(
    client, make_event, signed_up
):
    event = make_event(capacity=1, confirm_within_hours=24)
    registration, token = signed_up(event)
    page = client.get(f"/pieteikums/{token}").get_data(as_text=True)
    assert "Lūdzu, apstipriniet, ka šī e-pasta adrese ir Jūsu" in page
    assert f'action="/pieteikums/{token}/apstiprinat"' in page
    db.session.expire_all()
    assert db.session.get(Registration, registration.id).is_awaiting_confirmation

    response = client.post(f"/pieteikums/{token}/apstiprinat")
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Paldies: adrese ir apstiprināta" in page
    assert "apstipriniet, ka šī e-pasta adrese" not in page
    db.session.expire_all()
    assert db.session.get(Registration, registration.id).email_confirmed_at is not None
    assert client.post("/pieteikums/nav-tada/apstiprinat").status_code == 404
