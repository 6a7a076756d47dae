"""Rendered public list pages, kept in each process until they could be out of date.

The upcoming-events page is read far more often than events change. An entry is reused
while (1) the data version it was built from is still current, and (2) no listed event has
reached a moment that changes what the page says (registration opening or closing, the event
ending). The version is one small query, asked at most every `recheck` seconds per page, so
a change made by another process shows within that time (the event page itself is never
cached, and the booking rules never rely on what a list showed).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app

from ..timeutil import now_utc

#: Even with nothing changing, rebuild now and then.
MAX_AGE = timedelta(minutes=10)


@dataclass
class _Entry:
    version: Hashable
    valid_until: datetime
    checked_at: datetime
    html: str


class PageCache:
    def __init__(self, recheck: timedelta, max_entries: int = 128) -> None:
        self._entries: OrderedDict[Hashable, _Entry] = OrderedDict()
        self._lock = threading.Lock()
        self.recheck = recheck
        self.max_entries = max_entries

    def get_or_render(
        self,
        key: Hashable,
        current_version: Callable[[], Hashable],
        render: Callable[[], tuple[str, datetime | None]],
    ) -> str:
        """The page for `key`; `render()` gives (html, the next moment it changes by itself)."""
        now = now_utc()
        with self._lock:
            entry = self._entries.get(key)
        if entry and now < entry.valid_until:
            if now - entry.checked_at < self.recheck:
                return entry.html
            version = current_version()
            if version == entry.version:
                entry.checked_at = now
                return entry.html
        else:
            version = current_version()
        html, next_change = render()
        valid_until = min(now + MAX_AGE, next_change) if next_change else now + MAX_AGE
        with self._lock:
            self._entries[key] = _Entry(version, valid_until, now, html)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return html


def upcoming_pages() -> PageCache:
    """This app's cache (one per app, so tests and several apps in a process never mix)."""
    cache = current_app.extensions.get("upcoming_pages")
    if cache is None:
        seconds = current_app.config["LIST_CACHE_RECHECK_SECONDS"]
        cache = current_app.extensions["upcoming_pages"] = PageCache(timedelta(seconds=seconds))
    return cache
