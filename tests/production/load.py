"""Visitors for the production tests and benchmarks: sign-ups in a loop, a look at
/healthz, waiting for a condition, and what the database holds afterwards."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

import sqlalchemy as sa

from registration.extensions import db
from registration.models import Registration, RegistrationStatus

from ..live_server import Browser
from ..pages import in_letters
from .servers import Server

CLIENTS = 8


@dataclass
class Load:
    """CLIENTS visitors signing up one after another until stopped."""

    url: str
    slug: str
    stop: threading.Event = field(default_factory=threading.Event)
    #: (email, status of the POST, or of the page when that was refused, page, headers)
    results: list[tuple[str, int, str, dict]] = field(default_factory=list)
    threads: list[threading.Thread] = field(default_factory=list)

    def start(self) -> None:
        self.threads = [threading.Thread(target=self._visitor, args=(k,)) for k in range(CLIENTS)]
        for thread in self.threads:
            thread.start()

    def finish(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)

    def _visitor(self, k: int) -> None:
        n = 0
        while not self.stop.is_set():
            n += 1
            email = f"visitor.{k}.{n}@example.lv"
            browser = Browser(self.url, timeout=30)
            try:
                status, headers, page = self._sign_up(browser, email, f"{k}-{n}")
            except OSError as exc:
                status, headers, page = 0, {}, repr(exc)
            finally:
                browser.close()
            self.results.append((email, status, page, dict(headers)))
            time.sleep(0.02)

    def _sign_up(self, browser: Browser, email: str, number: str):
        """Open the event's page, then send the form; what went wrong first, or the answer."""
        path = f"/notikumi/{self.slug}"
        status, headers, page = browser.get(path)
        if status != 200:
            return status, headers, page
        form = {
            **Browser.hidden_fields(page),
            "first_name": "Ieva",
            "last_name": f"Numurs {in_letters(number)}",
            "email": email,
            "place": "Koknese",
            "consent": "y",
        }
        return browser.request("POST", path, form)

    def saved_count(self) -> int:
        return sum(1 for _, status, _, _ in self.results if status == 303)


def health(server: Server) -> tuple[int, str]:
    browser = Browser(server.url, timeout=10)
    try:
        status, _, body = browser.get("/healthz")
        return status, body
    finally:
        browser.close()


def wait_for(condition, timeout: float, what: str) -> float:
    """Seconds until `condition()` holds, polling every 50 ms."""
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < timeout, f"{what} did not happen in {timeout} s"
        time.sleep(0.05)
    return time.monotonic() - started


def count(event_id: int, status: RegistrationStatus) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).where(
            Registration.event_id == event_id, Registration.status == status
        )
    )


def waiting_in_order(event_id: int) -> list[Registration]:
    return list(
        db.session.scalars(
            sa.select(Registration)
            .where(
                Registration.event_id == event_id,
                Registration.status == RegistrationStatus.WAITLISTED,
            )
            .order_by(Registration.queued_at, Registration.id)
        )
    )
