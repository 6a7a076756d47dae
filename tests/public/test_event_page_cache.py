"""The event page is rendered once and kept, yet every visitor gets a form of their own: their
own CSRF token and stamp, their own messages, never another visitor's; and its seat counts
are never staler than the upcoming-events list's."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from registration.extensions import db
from registration.models import Event, Registration
from registration.timeutil import frozen_time, now_utc

from ..pages import hidden_fields

FORM = {
    "first_name": "Ilze",
    "last_name": "Kalniņa",
    "email": "ilze@example.lv",
    "place": "Skrīveru pagasts",
    "consent": "y",
}


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


def seats_left(page: str) -> int:
    return int(re.search(r"Brīvās vietas: (\d+)", page).group(1))


def test_each_visitor_gets_a_token_and_stamp_of_their_own(app, make_event):
    event = make_event()
    anna, janis = app.test_client(), app.test_client()
    first = hidden_fields(anna.get(f"/notikumi/{event.slug}").get_data(as_text=True))
    second = hidden_fields(janis.get(f"/notikumi/{event.slug}").get_data(as_text=True))
    again = hidden_fields(anna.get(f"/notikumi/{event.slug}").get_data(as_text=True))
    assert first["csrf_token"] != second["csrf_token"]
    assert len({first["stamp"], second["stamp"], again["stamp"]}) == 3
    assert not any("slot" in value for value in (*first.values(), *second.values()))

    # Each form is taken with its own visitor's session, and only with it.
    stolen = janis.post(f"/notikumi/{event.slug}", data={**FORM, **first})
    assert stolen.status_code == 400
    own = janis.post(f"/notikumi/{event.slug}", data={**FORM, **second})
    assert own.status_code == 303
    later = anna.post(f"/notikumi/{event.slug}", data={**FORM, **again, "email": "anna@example.lv"})
    assert later.status_code == 303


def test_a_message_for_one_visitor_is_shown_to_them_alone(app, make_event):
    event = make_event()
    anna, janis = app.test_client(), app.test_client()
    assert janis.get(f"/notikumi/{event.slug}").status_code == 200  # the page is now kept
    with anna.session_transaction() as session:
        session["_flashes"] = [("success", "Anna, jūsu izmaiņas ir saglabātas.")]
    assert "Anna, jūsu" in anna.get(f"/notikumi/{event.slug}").get_data(as_text=True)
    assert "Anna, jūsu" not in janis.get(f"/notikumi/{event.slug}").get_data(as_text=True)
    # Shown once, then gone for Anna too.
    assert "Anna, jūsu" not in anna.get(f"/notikumi/{event.slug}").get_data(as_text=True)


def test_what_one_visitor_typed_is_not_shown_to_the_next(app, make_event):
    event = make_event()
    anna, janis = app.test_client(), app.test_client()
    fields = hidden_fields(anna.get(f"/notikumi/{event.slug}").get_data(as_text=True))
    refused = anna.post(
        f"/notikumi/{event.slug}", data={**fields, **FORM, "email": "anna.private@example"}
    )
    assert refused.status_code == 422
    assert "anna.private@example" in refused.get_data(as_text=True)
    page = janis.get(f"/notikumi/{event.slug}").get_data(as_text=True)
    assert "anna.private@example" not in page
    assert fields["csrf_token"] not in page


def test_seat_counts_are_no_staler_than_the_list(client, make_event):
    event = make_event(capacity=20)
    start = now_utc()
    with frozen_time(start):
        assert seats_left(client.get(f"/notikumi/{event.slug}").get_data(as_text=True)) == 20
        assert seats_left(client.get("/").get_data(as_text=True)) == 20
    # A seat taken by another server process, around this process's session.
    with db.engine.begin() as conn:
        conn.execute(
            sa.update(Event)
            .where(Event.id == event.id)
            .values(confirmed_count=Event.confirmed_count + 1, updated_at=start)
        )
    recheck = timedelta(seconds=client.application.config["LIST_CACHE_RECHECK_SECONDS"])
    with frozen_time(start + recheck - timedelta(seconds=1)):
        assert seats_left(client.get(f"/notikumi/{event.slug}").get_data(as_text=True)) == 20
        assert seats_left(client.get("/").get_data(as_text=True)) == 20
    with frozen_time(start + recheck + timedelta(seconds=1)):
        assert seats_left(client.get(f"/notikumi/{event.slug}").get_data(as_text=True)) == 19
        assert seats_left(client.get("/").get_data(as_text=True)) == 19


def test_a_sign_up_shows_on_the_page_within_the_recheck_time(client, make_event):
    """Not at once: in a rush every sign-up would make the next visitor's page be rendered
    again, and the page exists to spare that."""
    event = make_event(capacity=20)
    start = now_utc()
    recheck = timedelta(seconds=client.application.config["LIST_CACHE_RECHECK_SECONDS"])
    with frozen_time(start):
        fields = hidden_fields(client.get(f"/notikumi/{event.slug}").get_data(as_text=True))
        assert client.post(f"/notikumi/{event.slug}", data={**fields, **FORM}).status_code == 303
    with frozen_time(start + recheck + timedelta(seconds=1)):
        page = client.get(f"/notikumi/{event.slug}").get_data(as_text=True)
    assert seats_left(page) == 19
    assert db.session.scalar(sa.select(sa.func.count(Registration.id))) == 1


def test_an_unknown_event_stays_not_found(client, make_event):
    assert client.get("/notikumi/nav-tada").status_code == 404
    event = make_event(slug="nav-tada")
    assert client.get(f"/notikumi/{event.slug}").status_code == 200
