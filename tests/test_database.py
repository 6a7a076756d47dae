"""Database errors reach the log without the values of the row: no name, address or nonce."""

from __future__ import annotations

import logging

import pytest

from registration.extensions import db
from registration.models import Event
from tests import factories

NONCE = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
PERSON = {
    "first_name": "Slepenā",
    "last_name": "Noslēpuma",
    "email": "slepena.persona@example.lv",
    "phone": "+37126999888",
    "manage_nonce": NONCE,
}


@pytest.mark.parametrize(
    "broken_rule",
    [
        # PostgreSQL: "Key (event_id, email_key)=(…, slepena.persona@example.lv) already exists"
        {},
        # PostgreSQL: "Failing row contains (…, Noslēpuma, slepena.persona@example.lv, …)"
        {"first_name": None},
    ],
    ids=["one-active-registration-per-address", "name-required"],
)
def test_a_database_error_is_logged_without_the_rows_values(
    app, client, caplog, make_event, make_registration, broken_rule
):
    event = make_event()
    make_registration(event, **PERSON)

    @app.post("/_test/break-a-rule")
    def break_a_rule():
        factories.make_registration(db.session.get(Event, event.id), **{**PERSON, **broken_rule})
        return "saved"

    caplog.set_level(logging.ERROR)
    response = client.post("/_test/break-a-rule")

    assert response.status_code == 500
    assert "IntegrityError" in caplog.text  # the log says what went wrong …
    assert "INSERT INTO registration" in caplog.text  # … and where
    for value in (*PERSON.values(), "slepena"):
        assert value not in caplog.text
