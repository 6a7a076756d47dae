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
    assert wrong_password.status_code == wrong_email.status_code == 200
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


@pytest.mark.parametrize(
    "app_config", [{"RATELIMIT_ENABLED": True, "ADMIN_LOGIN_RATE_LIMIT": "3 per minute"}]
)
def test_login_attempts_are_limited(client, organiser):
    for _ in range(3):
        assert log_in(client, organiser.email, "minējums-minējums").status_code == 200
    response = log_in(client, organiser.email)
    assert response.status_code == 429
    assert "Pārāk daudz mēģinājumu" in response.get_data(as_text=True)
    # Looking at the form is not limited.
    assert client.get("/admin/login").status_code == 200


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
