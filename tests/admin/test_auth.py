"""Logging in and out: one message for any mistake, limits, cookies, sessions that end."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from registration.extensions import db
from registration.timeutil import frozen_time, now_utc
from tests.factories import PASSWORD

from .helpers import log_in

WRONG = "E-pasts vai parole nav pareiza."


def test_wrong_email_and_wrong_password_get_the_same_answer(client, organiser):
    wrong_password = log_in(client, organiser.email, "nepareiza-parole-123")
    wrong_email = log_in(client, "nav@partneriba.example")
    assert wrong_password.status_code == wrong_email.status_code == 422
    assert WRONG in wrong_password.get_data(as_text=True)
    assert WRONG in wrong_email.get_data(as_text=True)
    assert client.get("/admin/").status_code == 302


def test_a_deactivated_account_cannot_log_in(client, organiser):
    organiser.active = False
    db.session.commit()
    assert WRONG in log_in(client, organiser.email).get_data(as_text=True)


def test_login_then_logout(client, organiser):
    response = log_in(client, organiser.email.upper())
    assert response.headers["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.post("/admin/logout").status_code == 302
    assert client.get("/admin/").headers["Location"].startswith("/admin/login")


def test_login_returns_to_the_page_asked_for_but_never_elsewhere(client, organiser):
    response = client.post(
        "/admin/login",
        data={"email": organiser.email, "password": PASSWORD, "next": "/admin/overview"},
    )
    assert response.headers["Location"] == "/admin/overview"
    client.post("/admin/logout")
    response = client.post(
        "/admin/login",
        data={"email": organiser.email, "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.headers["Location"] == "/admin/"


def test_a_line_break_in_next_is_no_error(client, organiser):
    assert client.get("/admin/login?next=/admin/%0a").status_code == 200
    response = client.post(
        "/admin/login",
        data={"email": organiser.email, "password": PASSWORD, "next": "/admin/\nX: y"},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/"
    assert client.get("/admin/login?next=/admin/%0a").headers["Location"] == "/admin/"


def test_session_cookie_is_httponly_and_lax(client, organiser):
    response = log_in(client, organiser.email)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie


@pytest.mark.parametrize("app_config", [{"SESSION_COOKIE_SECURE": True}])
def test_session_cookie_is_secure_when_configured_for_https(client, organiser):
    response = log_in(client, organiser.email)
    assert "Secure" in response.headers["Set-Cookie"]


def test_admin_pages_are_not_cached(organiser_client):
    assert "no-store" in organiser_client.get("/admin/").headers["Cache-Control"]


def test_the_session_ends_after_eight_hours(client, organiser):
    log_in(client, organiser.email)
    assert client.get("/admin/").status_code == 200
    with frozen_time(now_utc() + timedelta(hours=8, minutes=1)):
        response = client.get("/admin/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/admin/login")


def test_a_new_password_ends_sessions_opened_with_the_old_one(client, organiser):
    log_in(client, organiser.email)
    organiser.set_password("pavisam-jauna-parole-77")
    db.session.commit()
    assert client.get("/admin/").headers["Location"].startswith("/admin/login")


def _session_cookie(client) -> str:
    return client.get_cookie("session").value


def _opens_the_back_office(app, cookie: str) -> bool:
    """Whether a browser holding only this session cookie gets into /admin."""
    browser = app.test_client()
    browser.set_cookie("session", cookie)
    return browser.get("/admin/").status_code == 200


def test_a_cookie_copied_before_logout_opens_nothing_afterwards(app, client, organiser):
    log_in(client, organiser.email)
    copied = _session_cookie(client)
    other_device = app.test_client()
    log_in(other_device, organiser.email)
    assert _opens_the_back_office(app, copied)

    client.post("/admin/logout")

    assert not _opens_the_back_office(app, copied)
    # Logging out ends the account's sessions everywhere, as the button promises.
    assert other_device.get("/admin/").headers["Location"].startswith("/admin/login")
    # A new login works as before.
    assert log_in(client, organiser.email).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_an_old_cookie_stays_dead_after_the_account_is_reactivated(app, organiser, admin):
    browser = app.test_client()
    log_in(browser, organiser.email)
    copied = _session_cookie(browser)
    administrator = app.test_client()
    log_in(administrator, admin.email)

    administrator.post(f"/admin/organisers/{organiser.id}/deactivate")
    assert browser.get("/admin/").headers["Location"].startswith("/admin/login")
    administrator.post(f"/admin/organisers/{organiser.id}/activate")

    assert not _opens_the_back_office(app, copied)
    assert log_in(browser, organiser.email).status_code == 302
    assert browser.get("/admin/").status_code == 200


def test_a_password_reset_by_an_administrator_ends_the_accounts_sessions(app, organiser, admin):
    browser = app.test_client()
    log_in(browser, organiser.email)
    administrator = app.test_client()
    log_in(administrator, admin.email)

    administrator.post(
        f"/admin/organisers/{organiser.id}/password",
        data={"password": "jaunā-parole-2027", "password_repeat": "jaunā-parole-2027"},
    )

    assert browser.get("/admin/").headers["Location"].startswith("/admin/login")
    assert administrator.get("/admin/").status_code == 200


@pytest.mark.parametrize(
    "app_config", [{"RATELIMIT_ENABLED": True, "ADMIN_LOGIN_RATE_LIMIT": "3 per minute"}]
)
def test_login_attempts_are_limited(client, organiser):
    for _ in range(3):
        assert log_in(client, organiser.email, "minējums-minējums").status_code == 422
    response = log_in(client, organiser.email)
    assert response.status_code == 429
    assert "Pārāk daudz mēģinājumu" in response.get_data(as_text=True)
    # Looking at the form is not limited.
    assert client.get("/admin/login").status_code == 200


@pytest.mark.parametrize(
    "app_config",
    [
        {
            "RATELIMIT_ENABLED": True,
            "ADMIN_LOGIN_RATE_LIMIT": "100 per minute",
            "ADMIN_ACCOUNT_RATE_LIMIT": "3 per hour",
        }
    ],
)
def test_no_spelling_of_the_address_escapes_the_account_limit(client, organiser):
    """Guessing one account's password from many addresses, the address written with
    invisible characters, capitals or spaces, is counted as one account."""
    spellings = [
        "ilze@partneriba.example",
        "il\x01ze@partneriba.example",
        "ILZE@partneriba.example",
    ]
    for n, spelling in enumerate(spellings):
        client.environ_base["REMOTE_ADDR"] = f"198.51.100.{n + 1}"
        assert log_in(client, spelling, "minējums-minējums").status_code == 422
    for n, spelling in enumerate(["i\u200blze@partneriba.example", " ilze\t@partneriba.example"]):
        client.environ_base["REMOTE_ADDR"] = f"203.0.113.{n + 1}"
        assert log_in(client, spelling).status_code == 429
    assert client.get("/admin/").status_code == 302  # not logged in


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_login_and_actions_need_the_form_token(client, organiser, make_event):
    event = make_event()
    response = client.post("/admin/login", data={"email": organiser.email, "password": PASSWORD})
    assert response.status_code == 400
    page = client.get("/admin/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]
    response = client.post(
        "/admin/login", data={"email": organiser.email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302
    # A forged request from another site carries no token.
    assert client.post(f"/admin/events/{event.id}/unpublish").status_code == 400
    page = client.get(f"/admin/events/{event.id}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]
    response = client.post(f"/admin/events/{event.id}/unpublish", data={"csrf_token": token})
    assert response.status_code == 302
    db.session.refresh(event)
    assert not event.is_published
