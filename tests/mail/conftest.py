"""Mail tests run against a real SMTP server on loopback (see smtp.py)."""

from __future__ import annotations

import pytest

from .smtp import SmtpServer


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "smtp_down: the test's SMTP server is not started")


@pytest.fixture
def smtp_server(request):
    server = SmtpServer()
    if request.node.get_closest_marker("smtp_down") is None:
        server.start()
    yield server
    server.close()


def smtp_config(port: int, **extra) -> dict:
    return {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": port,
        # Flask-Mail only pretends to send when TESTING, unless told otherwise.
        "MAIL_SUPPRESS_SEND": False,
        "MAIL_DEFAULT_SENDER": "pieteikumi@partneriba.example",
        "ORGANISATION_NAME": "Biedrība „Lauku partnerība”",
        "MAIL_TIMEOUT": 5,
        "MAIL_LEASE_SECONDS": 60,
        **extra,
    }


@pytest.fixture
def app_config(smtp_server) -> dict:
    return smtp_config(smtp_server.port)
