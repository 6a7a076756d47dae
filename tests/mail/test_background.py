"""The web process's own sender: woken by the commit, never in the way of the request."""

from __future__ import annotations

import time

import pytest

from registration.extensions import db
from registration.mail import outbox, sender
from registration.models import OutboxState

from .helpers import rows
from .smtp import HangingServer, smtp_config


@pytest.fixture
def hanging_server():
    server = HangingServer()
    yield server
    server.close()


def background_config(port: int) -> dict:
    return smtp_config(
        port,
        MAIL_BACKGROUND_SENDER=True,
        MAIL_TIMEOUT=3,
        MAIL_LEASE_SECONDS=60,
        # Long enough that only the wake-up after the commit explains a quick delivery.
        MAIL_POLL_SECONDS=30,
    )


@pytest.fixture
def background(app):
    """The app's background sender, stopped (and its thread joined) after the test."""
    background = sender.background_sender(app)
    assert background is not None
    yield background
    background.stop(timeout=10)
    assert not background.is_running


@pytest.fixture
def queueing_app(app, background):
    """A route that queues a message and commits, the smallest thing that sends mail."""

    def queue_view():
        outbox.queue(kind="test", recipient="anna@example.lv", subject="Sveiki", text="Sveiki!")
        db.session.commit()
        return "ok"

    app.add_url_rule("/test/queue", "test_queue", queue_view, methods=["POST"])
    return app


def wait_until(predicate, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


class TestWithAWorkingServer:
    @pytest.fixture
    def app_config(self, smtp_server) -> dict:
        return background_config(smtp_server.port)

    def test_the_commit_wakes_the_sender(self, queueing_app, client, smtp_server):
        started = time.monotonic()
        assert client.post("/test/queue").status_code == 200
        assert smtp_server.wait_for(1, timeout=10)
        assert time.monotonic() - started < 10
        assert wait_until(lambda: _state() is OutboxState.SENT)


#: How long the sender waits for the hanging server: a request that waited for the mail would
#: take at least this long, and the sender's error would be written before the answer came.
HANG_TIMEOUT = 8


class TestWithAHangingServer:
    @pytest.fixture
    def app_config(self, hanging_server) -> dict:
        return {**background_config(hanging_server.port), "MAIL_TIMEOUT": HANG_TIMEOUT}

    def test_a_hanging_mail_server_does_not_slow_the_request(
        self, queueing_app, client, hanging_server
    ):
        timings = []
        for _ in range(3):
            started = time.monotonic()
            response = client.post("/test/queue")
            timings.append(time.monotonic() - started)
            assert response.status_code == 200
        # Each answer came while the sender was still waiting for the server (no wall-clock
        # bound tighter than its timeout, so a loaded machine does not fail the test).
        assert "the mail server did not answer in time" not in _errors()
        assert max(timings) < HANG_TIMEOUT, timings
        # The sender did try, in its own thread, and gave up after the timeout.
        assert wait_until(lambda: "the mail server did not answer in time" in _errors())
        assert OutboxState.SENT not in {r.state for r in rows()}

    def test_a_sign_up_answers_at_once_while_the_mail_server_hangs(
        self, app, background, client, make_event
    ):
        event = make_event(capacity=None)
        timings = []
        for n in range(3):
            form = {
                "first_name": "Ilze",
                "last_name": "Kalniņa",
                "email": f"ilze{n}@example.lv",
                "place": "Skrīveru pagasts",
                "consent": "y",
            }
            started = time.monotonic()
            response = client.post(f"/notikumi/{event.slug}", data=form)
            timings.append(time.monotonic() - started)
            assert response.status_code == 303
        assert "the mail server did not answer in time" not in _errors()
        assert max(timings) < HANG_TIMEOUT, timings
        assert background.is_running
        assert wait_until(lambda: "the mail server did not answer in time" in _errors())
        assert len(rows(kind="confirmation")) == 3


def _state() -> OutboxState:
    db.session.rollback()  # a fresh snapshot: the sender commits from another thread
    return rows()[0].state


def _errors() -> set[str]:
    db.session.rollback()
    return {r.last_error for r in rows()}
