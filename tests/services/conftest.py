"""Fixtures for the service tests."""

from __future__ import annotations

import pytest

from registration.timeutil import frozen_time
from tests.factories import make_organiser

from .sample_events import NOW


@pytest.fixture
def frozen_clock(app):
    """now_utc() is 1 March 2027, 10:00 in Riga, for the whole test."""
    with frozen_time(NOW):
        yield NOW


@pytest.fixture
def organiser(app):
    return make_organiser("ilze@partneriba.example")
