"""Rendered public pages and files, kept in each process until they could be out of date.

The upcoming-events page and the calendar feeds are read far more often than events change.
An entry is reused while (1) the data version it was built from is still current, and (2)
nothing it shows has reached a moment that changes it by itself (registration opening or
closing, an event ending, a cancelled event leaving a feed). The version is one small query,
asked at most every `recheck` seconds per entry, so a change made by another process shows
within that time (the booking rules never rely on what a cached page showed).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import current_app

from .timeutil import now_utc

#: Even with nothing changing, rebuild now and then.
MAX_AGE = timedelta(minutes=10)
NEVER = datetime.min.replace(tzinfo=UTC)


@dataclass
class _Entry:
    version: Hashable
    valid_until: datetime
    checked_at: datetime
    value: Any


class RenderCache:
    def __init__(self, recheck: timedelta, max_entries: int = 128) -> None:
        self._entries: OrderedDict[Hashable, _Entry] = OrderedDict()
        self._lock = threading.Lock()
        self.recheck = recheck
        self.max_entries = max_entries

    def recheck_soon(self) -> None:
        with self._lock:
            for entry in self._entries.values():
                entry.checked_at = NEVER

    def get_or_render(
        self,
        key: Hashable,
        current_version: Callable[[], Hashable],
        render: Callable[[], tuple[Any, datetime | None]],
    ) -> Any:
        """The value for `key`; `render()` gives (value, the next moment it changes by
        itself, or None)."""
        now = now_utc()
        with self._lock:
            entry = self._entries.get(key)
        if entry and now < entry.valid_until:
            if now - entry.checked_at < self.recheck:
                return entry.value
            version = current_version()
            if version == entry.version:
                entry.checked_at = now
                return entry.value
        else:
            version = current_version()
        value, next_change = render()
        valid_until = min(now + MAX_AGE, next_change) if next_change else now + MAX_AGE
        with self._lock:
            self._entries[key] = _Entry(version, valid_until, now, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return value


def recheck_soon(*names: str) -> None:
    """Have this app's caches `names` ask for the data version at their next use: this
    process has just changed what they show, and its own visitors see it at once."""
    for name in names:
        cache = current_app.extensions.get(f"render_cache:{name}")
        if cache is not None:
            cache.recheck_soon()


def app_cache(name: str, max_entries: int = 128) -> RenderCache:
    """This app's cache called `name` (one per app, so tests and several apps in a process
    never mix), rechecked every LIST_CACHE_RECHECK_SECONDS."""
    key = f"render_cache:{name}"
    cache = current_app.extensions.get(key)
    if cache is None:
        seconds = current_app.config["LIST_CACHE_RECHECK_SECONDS"]
        cache = RenderCache(timedelta(seconds=seconds), max_entries=max_entries)
        current_app.extensions[key] = cache
    return cache
