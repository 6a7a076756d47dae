"""One clock for the whole app: UTC inside, Europe/Riga only where people read times.

Everything that asks "what time is it" calls `now_utc()`, so tests can freeze time with
`frozen_time(...)` instead of patching `datetime` in many modules.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

RIGA = ZoneInfo("Europe/Riga")

_clock: Callable[[], datetime] = lambda: datetime.now(UTC)  # noqa: E731


def now_utc() -> datetime:
    """The current moment as a timezone-aware UTC datetime."""
    return _clock()


@contextmanager
def frozen_time(moment: datetime) -> Iterator[None]:
    """Make `now_utc()` return `moment` (aware) inside the block."""
    global _clock
    if moment.tzinfo is None:
        raise ValueError("frozen_time needs an aware datetime")
    previous = _clock
    _clock = lambda: moment.astimezone(UTC)  # noqa: E731
    try:
        yield
    finally:
        _clock = previous


def to_riga(moment: datetime) -> datetime:
    return moment.astimezone(RIGA)


def iso_riga(moment: datetime) -> str:
    """ISO 8601 with the Riga offset ('2021-09-24T10:00:00+03:00'): <time>, feeds, the API."""
    return to_riga(moment).isoformat(timespec="seconds")


def riga_datetime(day: date, at: time) -> datetime:
    """A wall-clock time in Riga on a given day, as an aware UTC datetime."""
    return datetime.combine(day, at, tzinfo=RIGA).astimezone(UTC)


def today_riga() -> date:
    return to_riga(now_utc()).date()


def start_of_riga_day(day: date) -> datetime:
    return riga_datetime(day, time(0, 0))


def days(n: int) -> timedelta:
    return timedelta(days=n)


def group_by_riga_month(items, key=lambda item: item.starts_at):
    """[(first day of the month in Riga, [items…]), …] keeping the order of `items`."""
    groups: list[tuple[date, list]] = []
    for item in items:
        local = to_riga(key(item))
        month = date(local.year, local.month, 1)
        if not groups or groups[-1][0] != month:
            groups.append((month, []))
        groups[-1][1].append(item)
    return groups
