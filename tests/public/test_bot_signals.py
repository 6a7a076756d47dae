"""Programs filling in the sign-up form get the page a person gets, and nothing happens."""

from __future__ import annotations

import re
import time

import pytest
import sqlalchemy as sa

from registration.extensions import db
from registration.models import OutboxMessage, Registration
from registration.public import bot_signals

from ..pages import signup_form

FORM = {
    "first_name": "Ilze",
    "last_name": "Kalniņa",
    "email": "ilze@example.lv",
    "place": "Skrīveru pagasts",
    "consent": "y",
}


def nothing_happened(event) -> bool:
    registrations = db.session.scalar(
        sa.select(sa.func.count()).where(Registration.event_id == event.id)
    )
    messages = db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage))
    return registrations == 0 and messages == 0


def answer(client, response) -> str:
    """The page the visitor ends up on."""
    assert response.status_code == 303
    return client.get(response.headers["Location"]).get_data(as_text=True)


def test_a_person_gets_the_confirmation_page(client, make_event):
    event = make_event()
    page = answer(
        client, client.post(f"/notikumi/{event.slug}", data=signup_form(client, event, **FORM))
    )
    assert "Jūsu vieta" in page
    assert not nothing_happened(event)


@pytest.mark.parametrize(
    ("changes", "headers"),
    [
        ({"website": "http://spam.example"}, {}),  # the honeypot
        ({"stamp": ""}, {}),
        ({"stamp": "forged.value.here"}, {}),
        ({}, {"Sec-Fetch-Site": "cross-site"}),
        ({}, {"Origin": "https://evil.example"}),
    ],
)
def test_signs_of_a_program_save_nothing_and_look_the_same(client, make_event, changes, headers):
    event = make_event()
    human = answer(
        client,
        client.post(
            f"/notikumi/{event.slug}",
            data=signup_form(client, event, **{**FORM, "email": "cilveks@example.lv"}),
        ),
    )
    db.session.execute(sa.delete(OutboxMessage))
    db.session.execute(sa.delete(Registration))
    db.session.commit()

    form = {**signup_form(client, event, **FORM), **changes}
    page = answer(client, client.post(f"/notikumi/{event.slug}", data=form, headers=headers))
    assert nothing_happened(event)
    # The same page, but for the address: the cookie holds no address, and the page reads
    # it from the registration saved, of which a program's sign-up has none.
    without_address = re.sub(
        r"<dt>E-pasts</dt><dd><strong>cilveks@example\.lv</strong></dd>|<li>[^<]*cilveks@[^<]*</li>",
        "",
        human,
    )
    assert without_address != human
    assert page.split() == without_address.split()


def test_the_browsers_own_origin_is_welcome(client, make_event):
    event = make_event()
    form = signup_form(client, event, **FORM)
    headers = {"Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"}
    assert client.post(f"/notikumi/{event.slug}", data=form, headers=headers).status_code == 303
    assert not nothing_happened(event)


@pytest.mark.parametrize("app_config", [{"SIGNUP_MIN_SECONDS": 3}])
def test_a_form_sent_within_seconds_of_being_shown_is_a_program(client, make_event):
    event = make_event()
    form = signup_form(client, event, **FORM)
    client.post(f"/notikumi/{event.slug}", data=form)
    assert nothing_happened(event)


def test_a_form_older_than_a_day_is_a_program(app, client, make_event, monkeypatch):
    event = make_event()
    with app.test_request_context():
        yesterday = time.time() - 24 * 3600 - 60
        monkeypatch.setattr(time, "time", lambda: yesterday)
        old_stamp = bot_signals.new_stamp()
        monkeypatch.undo()
    client.post(
        f"/notikumi/{event.slug}", data={**signup_form(client, event, **FORM), "stamp": old_stamp}
    )
    assert nothing_happened(event)


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": True, "SIGNUP_FORM_MAX_USES": 3}])
def test_a_form_replayed_more_than_allowed_saves_nothing_more(client, make_event):
    event = make_event(capacity=None)
    form = signup_form(client, event, **FORM)
    for n in range(5):
        response = client.post(
            f"/notikumi/{event.slug}", data={**form, "email": f"p{n}@example.lv"}
        )
        assert response.status_code == 303
    emails = db.session.scalars(
        sa.select(Registration.email)
        .where(Registration.event_id == event.id)
        .order_by(Registration.id)
    ).all()
    assert emails == ["p0@example.lv", "p1@example.lv", "p2@example.lv"]
    # A fresh page is a fresh form.
    client.post(
        f"/notikumi/{event.slug}",
        data=signup_form(client, event, **{**FORM, "email": "p9@example.lv"}),
    )
    assert (
        db.session.scalar(sa.select(sa.func.count()).where(Registration.event_id == event.id)) == 4
    )
