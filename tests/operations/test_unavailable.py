"""While the database is away, a visitor gets a friendly 503 page in their language with
Retry-After, the log says why, and an unexpected error shows an id the log can be searched
for."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from registration import create_app
from registration.extensions import db

from ..live_server import free_port
from ..settings import TEST_DATABASE_URL, base_config

CODE = re.compile(r"error code ([0-9a-f]{12})|kļūdas kodu ([0-9a-f]{12})")


@pytest.fixture
def app_without_database(tmp_path):
    uri = f"postgresql+psycopg://app:secret@127.0.0.1:{free_port()}/registration"
    return create_app(
        {**base_config(uri), "CHECK_DATABASE_ON_START": False}, instance_path=str(tmp_path)
    )


def test_a_page_while_the_database_is_away_is_a_friendly_503(app_without_database, caplog):
    response = app_without_database.test_client().get("/")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    page = response.get_data(as_text=True)
    assert '<html lang="lv">' in page
    assert "Vietne uz brīdi ir aizņemta" in page
    request_id = response.headers["X-Request-Id"]
    assert request_id in page
    [line] = [r.getMessage() for r in caplog.records if "database unavailable" in r.getMessage()]
    assert request_id in line
    assert "GET /" in line
    assert "refused" in line


def test_a_form_sent_while_the_database_is_away_says_it_was_not_saved(app_without_database):
    client = app_without_database.test_client()
    client.get("/valoda/en")
    response = client.post("/notikumi/domnica", data={"first_name": "Līga"})
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert "The site is busy for a moment" in page
    assert "Your sign-up or change has not been saved" in page


def test_an_unexpected_error_shows_the_id_that_is_in_the_log(app, caplog):
    def broken():
        raise RuntimeError("a bug")

    app.add_url_rule("/salauzts", view_func=broken)
    response = app.test_client().get("/salauzts")
    assert response.status_code == 500
    request_id = response.headers["X-Request-Id"]
    assert re.fullmatch(r"[0-9a-f]{12}", request_id)
    assert f"kļūdas kodu {request_id}" in response.get_data(as_text=True)
    [error] = [r for r in caplog.records if r.levelname == "ERROR"]
    assert request_id in error.getMessage()
    assert error.exc_info[0] is RuntimeError


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="PostgreSQL ends a connection from outside")
def test_a_connection_lost_after_the_page_was_made_still_gives_the_page(app, caplog):
    # The page was read inside a transaction; the server goes away before it ends.
    def page_read_as_the_server_stops():
        pid = db.session.scalar(sa.text("SELECT pg_backend_pid()"))
        with db.engine.connect() as other:
            other.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        return "lasīts"

    app.add_url_rule("/lasa", view_func=page_read_as_the_server_stops)
    response = app.test_client().get("/lasa")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "lasīts"
    assert "database connection lost while ending a request" in caplog.text
