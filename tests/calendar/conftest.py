"""Fixtures for the calendar tests."""

from __future__ import annotations

from contextlib import ExitStack
from datetime import UTC, datetime, timedelta

import pytest

from registration.timeutil import frozen_time


class Clock:
    """now_utc() frozen at `now`; `advance()` moves it forward."""

    def __init__(self, now: datetime, stack: ExitStack) -> None:
        self.now = now
        self._stack = stack
        stack.enter_context(frozen_time(now))

    def advance(self, **kwargs) -> None:
        self.now += timedelta(**kwargs)
        self._stack.enter_context(frozen_time(self.now))


@pytest.fixture
def clock():
    """Freeze the app's clock at 1 February 2027, 09:00 UTC, movable by the test."""
    with ExitStack() as stack:
        yield Clock(datetime(2027, 2, 1, 9, 0, tzinfo=UTC), stack)
