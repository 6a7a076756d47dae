"""Signing up through the event page, as a resident on a phone would."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from registration.extensions import db
from registration.models import (
    EventKind,
    EventStatus,
    OutboxMessage,
    Registration,
    RegistrationStatus,
)
from registration.timeutil import now_utc, to_riga
from tests.outage import outage_after_next_commit

from ..pages import post_signup, signup_form

FORM = {
    "first_name": "Ilze",
    "last_name": "Kalniņa",
    "email": "ilze@example.lv",
    "phone": "",
    "place": "Skrīveru pagasts",
    "place_other": "",
    "organisation": "",
    "needs": "",
    "comment": "",
    "consent": "y",
}


def post(client, event, **changes):
    return post_signup(client, event, **{**FORM, **changes})


def registrations(event) -> list[Registration]:
    return list(
        db.session.scalars(sa.select(Registration).where(Registration.event_id == event.id))
    )


def test_event_page_tells_what_where_when_and_seats(client, make_event):
    event = make_event(
        title="NVO domnīca Skrīveros", capacity=20, venue_address="Daugavas iela 1, Skrīveri"
    )
    page = client.get(f"/notikumi/{event.slug}").get_data(as_text=True)
    assert "NVO domnīca Skrīveros" in page
    assert "Brīvās vietas: 20" in page
    assert "openstreetmap.org/search?query=Daugavas%20iela%201" in page
    assert 'type="application/ld+json"' in page
    assert 'property="og:title"' in page


def session_cookie(app, client) -> dict:
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    return app.session_interface.get_signing_serializer(app).loads(cookie.value)


def test_sign_up_confirms_and_says_what_comes_next(app, client, make_event):
    event = make_event(capacity=2)
    response = post(client, event, email="Ilze.Kalnina@Example.lv")
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Jūsu vieta" in page and "apstiprināta" in page
    # The whole address, so that a typo can be seen (in lower case, as addresses are
    # compared: a repeated person sees what they typed, not what was stored)…
    assert "ilze.kalnina@example.lv" in page
    # …read from the database: the readable cookie holds ids, no address.
    assert "@" not in str(session_cookie(app, client))
    [registration] = registrations(event)
    assert registration.status is RegistrationStatus.CONFIRMED
    assert registration.consent_notice_version == "2026-11"
    assert registration.language == "lv"


def test_the_result_page_says_the_date_and_the_pickup_stop_chosen(client, make_event):
    starts_at = now_utc().replace(microsecond=0) + timedelta(days=10)
    event = make_event(
        kind=EventKind.STUDY_TRIP, starts_at=starts_at, stops=[("Aizkraukle", 30), ("Koknese", 10)]
    )
    koknese = event.pickup_stops[1]
    response = post(client, event, pickup_stop=str(koknese.id))
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Koknese" in page and "Aizkraukle" not in page.split("Pieturvieta")[1][:200]
    local = to_riga(starts_at)
    assert f"{local.year}. gada {local.day}." in page
    assert to_riga(koknese.departs_at).strftime("%H:%M") in page


def test_when_full_the_page_shows_the_waiting_list_position(client, make_event, make_registration):
    event = make_event(capacity=1)
    make_registration(event)
    post(client, event, email="otra@example.lv")
    response = post(client, event, email="tresa@example.lv")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "gaidīšanas sarakstā" in page
    assert re.search(r"Jūs esat\s+2\.", page)


def test_english_sign_up_is_remembered_for_emails(client, make_event):
    event = make_event()
    client.get("/valoda/en")
    post(client, event)
    assert registrations(event)[0].language == "en"


def test_repeated_address_gets_the_same_page_and_no_second_registration(client, make_event):
    event = make_event(capacity=5)
    first = client.get(post(client, event).headers["Location"]).get_data(as_text=True)
    other_client = client.application.test_client()
    second_response = post(other_client, event, email="ILZE@example.lv ")
    second = other_client.get(second_response.headers["Location"]).get_data(as_text=True)
    assert second_response.status_code == 303
    strip_email = lambda page: page.replace("I***@example.lv", "i***@example.lv")  # noqa: E731
    assert strip_email(second) == first
    assert len(registrations(event)) == 1


def test_a_repeated_address_at_a_full_event_hears_the_refusal_a_new_one_hears(client, make_event):
    event = make_event(capacity=1, has_waiting_list=False)
    # Both load the page while a seat is still free.
    repeated_client, new_client = (client.application.test_client() for _ in range(2))
    repeated_form = signup_form(repeated_client, event, **FORM)
    new_form = signup_form(new_client, event, **{**FORM, "email": "cits@example.lv"})
    assert post(client, event).status_code == 303
    repeated = repeated_client.post(f"/notikumi/{event.slug}", data=repeated_form)
    new = new_client.post(f"/notikumi/{event.slug}", data=new_form)
    assert repeated.status_code == new.status_code == 409
    assert "aizņemtas" in repeated.get_data(as_text=True)
    assert len(registrations(event)) == 1


@pytest.mark.parametrize(
    ("capacity", "again", "status", "says", "mail"),
    [
        (None, False, 303, "apstiprināta", "confirmation"),  # a seat
        (1, False, 303, "gaidīšanas sarakstā", "waitlisted"),  # the waiting list
        (None, True, 303, "apstiprināta", "duplicate"),  # the same address again
        (1, True, 409, "aizņemtas", "duplicate"),  # again, at a full event, no waiting list
    ],
)
def test_a_database_gone_right_after_the_commit_does_not_turn_a_sign_up_into_an_error(
    client, make_event, make_registration, capacity, again, status, says, mail
):
    event = make_event(capacity=capacity, has_waiting_list=not again)
    browser = client.application.test_client()
    form = signup_form(browser, event, **FORM)  # loaded while a seat was free
    if again:
        assert post(client, event).status_code == 303
    elif capacity:
        make_registration(event)
    with outage_after_next_commit(db.engine):
        response = browser.post(f"/notikumi/{event.slug}", data=form)

    assert response.status_code == status
    page = response.get_data(as_text=True)
    if status == 303:  # the page it leads to, once the database is back
        page = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert says in page
    # What was committed stays: one registration of this address, its email queued.
    [registration] = [r for r in registrations(event) if r.email == FORM["email"]]
    kinds = db.session.scalars(
        sa.select(OutboxMessage.kind).where(OutboxMessage.registration_id == registration.id)
    ).all()
    assert kinds[-1] == mail


def test_double_submit_creates_one_registration(client, make_event):
    event = make_event()
    post(client, event)
    post(client, event)
    assert len(registrations(event)) == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"first_name": ""}, "first_name", "Lūdzu, aizpildiet šo lauku."),
        ({"first_name": "x" * 10_000}, "first_name", "ne vairāk kā 60"),
        ({"first_name": "Winner 2024"}, "first_name", "nevar būt ciparu"),
        ({"last_name": "http://spam.example"}, "last_name", "bez tīmekļa vai e-pasta adresēm"),
        ({"first_name": "Buy@now"}, "first_name", "bez tīmekļa vai e-pasta adresēm"),
        ({"email": "ilze@"}, "email", "derīgu e-pasta adresi"),
        ({"phone": "zvaniet man"}, "phone", "tikai cipari"),
        ({"phone": "2612"}, "phone", "8 cipari"),
        ({"place": ""}, "place", "kur dzīvojat"),
        ({"place": "Rīga"}, "place", "Nederīga izvēle"),
        ({"place": "other", "place_other": ""}, "place_other", "uzrakstiet"),
        ({"consent": ""}, "consent", "privātuma paziņojumu"),
    ],
)
def test_bad_input_is_explained_next_to_the_field_and_nothing_saved(
    client, make_event, changes, field, message
):
    event = make_event()
    data = {**FORM, **changes}
    if not data["consent"]:
        del data["consent"]
    response = client.post(f"/notikumi/{event.slug}", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="{field}-error"' in page
    assert message in page
    assert registrations(event) == []


def test_what_people_typed_is_kept_escaped_and_intact(client, make_event):
    event = make_event()
    markup = '<script>alert("x")</script> Šķēle'
    response = post(client, event, last_name="Ņina O'Brien", organisation=markup, comment="<b>")
    assert response.status_code == 303
    [registration] = registrations(event)
    assert registration.last_name == "Ņina O'Brien"
    assert registration.organisation == markup
    assert registration.comment == "<b>"
    refused = post(client, event, first_name=markup, email="cits@example.lv")
    assert refused.status_code == 422
    assert "<script>alert" not in refused.get_data(as_text=True)


def test_form_errors_keep_what_was_typed(client, make_event):
    event = make_event()
    page = post(client, event, email="nav-epasts", needs="Ratiņkrēsls").get_data(as_text=True)
    assert 'value="Ilze"' in page
    assert "Ratiņkrēsls" in page


def test_trip_needs_a_pickup_stop_from_this_trip(client, make_event):
    trip = make_event(kind=EventKind.STUDY_TRIP, stops=[("Aizkraukle, autoosta", 30)])
    other = make_event(kind=EventKind.STUDY_TRIP, stops=[("Koknese", 30)])
    missing = post(client, trip)
    assert missing.status_code == 422
    assert 'id="pickup_stop-error"' in missing.get_data(as_text=True)
    foreign = post(client, trip, pickup_stop=str(other.pickup_stops[0].id))
    assert foreign.status_code == 422
    ok = post(client, trip, pickup_stop=str(trip.pickup_stops[0].id))
    assert ok.status_code == 303
    assert registrations(trip)[0].pickup_stop.place == "Aizkraukle, autoosta"


def test_error_summary_follows_the_form_and_links_to_each_field(client, make_event):
    trip = make_event(
        kind=EventKind.STUDY_TRIP, requires_phone=True, stops=[("Aizkraukle, autoosta", 30)]
    )
    page = post(client, trip, first_name="", email="nav-epasts", consent="").get_data(as_text=True)
    summary = page.split('class="error-summary"', 1)[1].split("</ul>", 1)[0]
    targets = re.findall(r'href="#([^"]+)"', summary)
    # In the order of the form; the group of radio buttons by its first button.
    assert targets == ["first_name", "email", "phone", "pickup_stop-0", "consent"]
    assert all(f'id="{target}"' in page for target in targets)
    # A question keeps its question mark, with no colon after it.
    assert "Kur iekāpsiet autobusā?</span>" in summary
    assert "?:" not in summary


def test_trip_page_shows_stops_and_programme(client, make_event):
    trip = make_event(kind=EventKind.STUDY_TRIP, stops=[("Pļaviņas, autoosta", 30)])
    page = client.get(f"/notikumi/{trip.slug}").get_data(as_text=True)
    assert "Pieturvietas" in page
    assert "Pļaviņas, autoosta" in page


def test_phone_is_required_when_the_event_needs_it(client, make_event):
    event = make_event(requires_phone=True)
    response = post(client, event)
    assert response.status_code == 422
    assert 'id="phone-error"' in response.get_data(as_text=True)
    assert post(client, event, phone="+371 26 123 456").status_code == 303
    assert registrations(event)[0].phone == "+37126123456"


def test_honeypot_submissions_are_not_saved(client, make_event):
    event = make_event()
    response = post(client, event, website="http://spam.example")
    assert response.status_code == 303
    assert registrations(event) == []


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"status": EventStatus.CANCELLED}, "atcelts"),
        ({"registration_closes_at": "past"}, "slēgta"),
        ({"capacity": 0, "has_waiting_list": False}, "aizņemtas"),
    ],
)
def test_post_to_an_event_that_takes_no_sign_ups(client, make_event, changes, message):
    event = make_event()
    form = signup_form(client, event, **FORM)  # loaded while it still took sign-ups
    for name, value in changes.items():
        setattr(event, name, now_utc() - timedelta(minutes=1) if value == "past" else value)
    db.session.commit()
    response = client.post(f"/notikumi/{event.slug}", data=form)
    assert response.status_code == 409
    assert message in response.get_data(as_text=True)
    assert registrations(event) == []


def test_post_to_draft_or_unknown_event_is_not_found(client, make_event):
    draft = make_event(status=EventStatus.DRAFT)
    assert post(client, draft).status_code == 404
    assert client.post("/notikumi/nav-tada", data=FORM).status_code == 404
    assert registrations(draft) == []


@pytest.fixture
def app_config():
    return {}


def test_missing_csrf_token_is_a_friendly_400(app, client, make_event):
    app.config["WTF_CSRF_ENABLED"] = True
    event = make_event()
    form = signup_form(client, event, **FORM)
    del form["csrf_token"]
    response = client.post(f"/notikumi/{event.slug}", data=form)
    assert response.status_code == 400
    assert "Veidlapas derīguma laiks ir beidzies" in response.get_data(as_text=True)
    assert registrations(event) == []


def test_sign_up_works_with_a_real_csrf_token(app, client, make_event):
    app.config["WTF_CSRF_ENABLED"] = True
    event = make_event()
    page = client.get(f"/notikumi/{event.slug}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = post(client, event, csrf_token=token)
    assert response.status_code == 303
    assert len(registrations(event)) == 1


def test_an_address_with_diacritics_before_the_at_sign_is_explained(client, make_event):
    event = make_event()
    response = post(client, event, email="jānis@example.lv")
    assert response.status_code == 422
    assert "bez garumzīmēm" in response.get_data(as_text=True)
    assert registrations(event) == []


def test_malformed_event_addresses_are_not_found(client):
    assert client.get("/notikumi/a%00b").status_code == 404
    assert client.post("/notikumi/a%00b", data=FORM).status_code == 404
    assert client.get("/arhivs?lapa=99999999999999999999").status_code == 404


def test_control_characters_are_dropped_from_what_people_type(client, make_event):
    event = make_event()
    assert post(client, event, first_name="Ilze\x00\x07", comment="a\x1bb").status_code == 303
    [registration] = registrations(event)
    assert (registration.first_name, registration.comment) == ("Ilze", "ab")
