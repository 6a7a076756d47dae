"""Mail tests run against a real SMTP server on loopback (see smtp.py)."""

from __future__ import annotations

import pytest

from .smtp import SmtpServer, smtp_config


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "smtp_down: the test's SMTP server is not started")


@pytest.fixture
def smtp_server(request):
    server = SmtpServer()
    if request.node.get_closest_marker("smtp_down") is None:
        server.start()
    yield server
    server.close()


@pytest.fixture
def app_config(smtp_server) -> dict:
    return smtp_config(smtp_server.port)
