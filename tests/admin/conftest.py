"""Accounts and logged-in clients for the back-office tests."""

from __future__ import annotations

import pytest

from registration.models import Organiser, OrganiserRole
from tests import factories

from .helpers import log_in


@pytest.fixture
def organiser(app) -> Organiser:
    return factories.make_organiser("ilze@partneriba.example")


@pytest.fixture
def admin(app) -> Organiser:
    return factories.make_organiser("valdis@partneriba.example", OrganiserRole.ADMIN)


@pytest.fixture
def organiser_client(client, organiser):
    response = log_in(client, organiser.email)
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


@pytest.fixture
def admin_client(client, admin):
    response = log_in(client, admin.email)
    assert response.status_code == 302
    return client
