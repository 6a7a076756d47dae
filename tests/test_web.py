"""What every response carries, and the app behind a reverse proxy."""

from __future__ import annotations

import pytest
from flask import request


def test_security_headers_on_every_page(client):
    response = client.get("/")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_a_first_visit_gets_no_cookie_and_a_page_that_varies_by_it(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert "Cookie" in response.headers["Vary"]


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("PUT", "/", {"GET", "HEAD", "OPTIONS"}),
        ("DELETE", "/notikumi/kaut-kas", {"GET", "HEAD", "OPTIONS", "POST"}),
        ("GET", "/admin/logout", {"OPTIONS", "POST"}),
        ("POST", "/kalendars/visi.ics", {"GET", "HEAD", "OPTIONS"}),
    ],
)
def test_a_method_not_allowed_says_which_are(client, method, path, allowed):
    response = client.open(path, method=method)
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == allowed
    assert "Nav atļauts" in response.get_data(as_text=True)  # the site's own error page


@pytest.fixture
def app_config():
    return {"PROXY_FIX_X_FOR": 1}


def test_behind_one_proxy_the_visitor_address_and_https_are_seen(app):
    @app.get("/_test/whoami")
    def whoami():
        return f"{request.remote_addr} {request.scheme}"

    response = app.test_client().get(
        "/_test/whoami",
        headers={"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"},
        environ_base={"REMOTE_ADDR": "127.0.0.1"},
    )
    assert response.get_data(as_text=True) == "203.0.113.7 https"
