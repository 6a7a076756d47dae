"""PostgreSQL stopped under load, a worker killed meanwhile, PostgreSQL started again: the
app answers with the friendly 503 page while the database is away (the log says why),
`/healthz` says 503 and then 200, the app recovers without a restart, and nothing is lost
or half-saved. Runs against a private PostgreSQL server of its own (see postgres.py)."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from registration import create_app
from registration.extensions import db
from registration.models import Event, Registration, RegistrationStatus

from ..conftest import base_config
from ..factories import make_event
from ..live_server import Browser
from .postgres import PrivatePostgres
from .servers import Server, app_env, production_server

CLIENTS = 8


@pytest.fixture
def private_postgres():
    server = PrivatePostgres()
    try:
        server.init()
        server.start()
        yield server
    finally:
        server.remove()


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
            "csrf_token": Browser.CSRF.search(page).group(1),
            "first_name": "Ieva",
            "last_name": f"Nr. {number}",
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


def test_the_app_rides_out_a_database_restart(private_postgres, tmp_path):
    uri = private_postgres.create_database("registration")
    setup = create_app({**base_config(uri)}, instance_path=str(tmp_path / "setup"))
    with setup.app_context():
        upgrade()
        event = make_event(capacity=100_000)
        event_id, slug = event.id, event.slug
        db.session.remove()
        db.engine.dispose()

    env = app_env(
        tmp_path / "instance",
        SQLALCHEMY_DATABASE_URI=uri,
        SECRET_KEY="outage-test-secret-key-0123456789abcdef",
        SCHEDULER_ENABLED="true",
        SCHEDULER_POLL_SECONDS=1,
    )
    (tmp_path / "instance").mkdir()
    with production_server(env, tmp_path / "gunicorn.log") as server:
        load = Load(server.url, slug)
        load.start()
        try:
            wait_for(lambda: load.saved_count() >= 10, 60, "ten sign-ups")
            private_postgres.stop()
            outage_began = len(load.results)
            wait_for(lambda: health(server)[0] == 503, 15, "/healthz turning 503")
            assert "database unreachable" in health(server)[1]

            victim = server.worker_pids()[0]
            os.kill(victim, signal.SIGKILL)
            wait_for(
                lambda: victim not in server.worker_pids() and len(server.worker_pids()) == 2,
                30,
                "a new worker replacing the killed one",
            )
            wait_for(
                lambda: len(load.results) >= outage_began + 20, 30, "requests during the outage"
            )

            private_postgres.start()
            saved = load.saved_count()
            recovery = wait_for(lambda: health(server)[0] == 200, 30, "/healthz turning 200")
            wait_for(lambda: load.saved_count() > saved, 30, "a sign-up after the restart")
            wait_for(lambda: load.saved_count() > saved + 20, 60, "sign-ups going on")
        finally:
            load.finish()
        print(f"\n/healthz was 200 again {recovery:.2f} s after PostgreSQL accepted connections")
        assert server.process.poll() is None  # never restarted
        log = server.log()

    statuses = Counter(status for _, status, _, _ in load.results)
    assert set(statuses) == {303, 503}, statuses
    refused = [(page, headers) for _, status, page, headers in load.results if status == 503]
    page, headers = refused[-1]
    assert headers["Retry-After"] == "30"
    assert "Vietne uz brīdi ir aizņemta" in page
    assert headers["X-Request-Id"] in log
    assert "database unavailable, answered 503" in log

    check = create_app({**base_config(uri)}, instance_path=str(tmp_path / "check"))
    with check.app_context():
        stored = set(db.session.scalars(sa.select(Registration.email)))
        confirmed = db.session.scalar(
            sa.select(sa.func.count()).where(Registration.status == RegistrationStatus.CONFIRMED)
        )
        assert db.session.get(Event, event_id).confirmed_count == confirmed == len(stored)
        db.session.remove()
        db.engine.dispose()
    saved_emails = {email for email, status, _, _ in load.results if status == 303}
    refused_emails = {email for email, status, _, _ in load.results if status == 503}
    assert stored == saved_emails
    assert not stored & refused_emails
