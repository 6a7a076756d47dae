"""What every response carries, and the app behind a reverse proxy."""

from __future__ import annotations

import pytest
from flask import request


def test_security_headers_on_every_page(client):
    response = client.get("/")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


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
