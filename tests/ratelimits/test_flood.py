"""The limits hold on the real server: gunicorn with four workers, one database between them.

Runs against the suite's database: the SQLite file of the test, or PostgreSQL when
TEST_DATABASE_URL is set. Visitors are told apart by X-Forwarded-For, which the app trusts
for one proxy here (PROXY_FIX_X_FOR), as behind nginx. The window is short so that the
test can wait for it to end.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from registration.extensions import db
from registration.mail.sender import send_pending
from registration.models import OutboxMessage, Registration, RegistrationStatus

from ..factories import make_organiser
from ..live_server import Browser, app_env, gunicorn

#: Sign-ups one address may send in the window, and the window.
LIMIT = 8
WINDOW = 15
MIN_SECONDS = 1
FLOOD = 60
PRANKSTER = "203.0.113.7"
HOUSEHOLD = "198.51.100.20"


@pytest.fixture
def server(app):
    env = app_env(
        app,
        PROXY_FIX_X_FOR="1",
        SIGNUP_LIMIT_PER_ADDRESS=f"{LIMIT} per {WINDOW} seconds",
        SIGNUP_MIN_SECONDS=str(MIN_SECONDS),
        ADMIN_LOGIN_RATE_LIMIT="10 per minute",
        # Mail stays in the outbox, to be counted and then sent by the test.
        MAIL_BACKGROUND_SENDER="false",
    )
    with gunicorn(env=env, workers=4) as base_url:
        yield base_url


def visitor(base_url: str, address: str) -> Browser:
    return Browser(base_url, headers={"X-Forwarded-For": address})


def person(n: int, prefix: str) -> dict:
    return {
        "first_name": "Anna",
        "last_name": "Liepa",
        "email": f"{prefix}{n}@example.lv",
        "place": "Koknese",
        "consent": "y",
    }


def load_form(base_url: str, slug: str, address: str) -> tuple[Browser, dict]:
    browser = visitor(base_url, address)
    status, _, page = browser.get(f"/notikumi/{slug}")
    assert status == 200
    return browser, Browser.hidden_fields(page)


def fresh_count(*where) -> int:
    db.session.rollback()
    return db.session.scalar(sa.select(sa.func.count()).select_from(Registration).where(*where))


def test_a_flood_from_one_address_is_held_to_the_limit_and_a_household_passes(server, make_event):
    event = make_event(capacity=30, has_waiting_list=True)

    # 60 sign-ups from one computer within seconds, each with a form of its own.
    forms = [load_form(server, event.slug, PRANKSTER) for _ in range(FLOOD)]
    time.sleep(MIN_SECONDS + 0.1)

    def send(args):
        n, (browser, hidden) = args
        try:
            status, headers, _ = browser.request(
                "POST", f"/notikumi/{event.slug}", {**hidden, **person(n, "prank")}
            )
            return status, headers.get("Retry-After")
        finally:
            browser.close()

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(send, enumerate(forms)))
    assert time.monotonic() - started < 10

    statuses = [status for status, _ in answers]
    assert all(status < 500 for status in statuses)
    accepted = statuses.count(303)
    assert 1 <= accepted <= LIMIT
    assert statuses.count(429) == FLOOD - accepted
    waits = [int(wait) for status, wait in answers if status == 429]
    assert all(0 < wait <= WINDOW for wait in waits)
    assert fresh_count(Registration.event_id == event.id) == accepted

    # At most that many emails leave.
    queued = db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage))
    assert queued == accepted
    assert send_pending().sent == accepted

    # A household of four on another connection signs up within the minute.
    for n in range(4):
        browser, hidden = load_form(server, event.slug, HOUSEHOLD)
        time.sleep(MIN_SECONDS + 0.1)
        status, _, _ = browser.request(
            "POST", f"/notikumi/{event.slug}", {**hidden, **person(n, "home")}
        )
        browser.close()
        assert status == 303
    assert fresh_count(Registration.email.like("home%")) == 4

    # When the window has passed, the next sign-up from the first address goes through.
    browser, hidden = load_form(server, event.slug, PRANKSTER)
    time.sleep(max(waits) + 0.5)
    status, _, _ = browser.request(
        "POST", f"/notikumi/{event.slug}", {**hidden, **person(99, "later")}
    )
    browser.close()
    assert status == 303
    later = (
        Registration.email == "later99@example.lv",
        Registration.status == RegistrationStatus.CONFIRMED,
    )
    assert fresh_count(*later) == 1


def test_login_attempts_are_counted_across_all_workers(server, app):
    organiser = make_organiser("ilze@partneriba.example")

    def attempt(n: int) -> int:
        browser = visitor(server, "192.0.2.44")
        try:
            status, _, _ = browser.post_form(
                "/admin/login", {"email": organiser.email, "password": f"minējums-{n}"}
            )
            return status
        finally:
            browser.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(attempt, range(30)))
    # Ten a minute for the address, whichever worker answered.
    assert statuses.count(422) == 10  # the form shown again, wrong password
    assert statuses.count(429) == 20
