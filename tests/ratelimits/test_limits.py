"""Limits on the sign-up form per client address and network: a friendly 429, never a 500;
limits for every route when the configuration sets them, and nothing counted for page reads."""

from __future__ import annotations

import logging

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import OperationalError

from registration import create_app
from registration.extensions import db, limiter
from registration.models import Registration
from registration.ratelimits import client_network, counters
from registration.ratelimits.storage import DatabaseStorage

from ..pages import post_signup
from ..settings import base_config

LIMITS = {
    "RATELIMIT_ENABLED": True,
    "SIGNUP_LIMIT_PER_ADDRESS": "3 per minute",
    "SIGNUP_LIMIT_PER_NETWORK": "5 per minute",
}


@pytest.fixture
def app_config():
    return LIMITS


def person(n: int) -> dict:
    return {
        "first_name": "Ilze",
        "last_name": "Kalniņa",
        "email": f"ilze{n}@example.lv",
        "place": "Skrīveru pagasts",
        "consent": "y",
    }


def from_address(client, address: str):
    client.environ_base["REMOTE_ADDR"] = address
    return client


def saved(event) -> int:
    return db.session.scalar(sa.select(sa.func.count()).where(Registration.event_id == event.id))


def test_one_address_gets_its_share_then_a_friendly_429(client, make_event, caplog):
    event = make_event()
    from_address(client, "203.0.113.7")
    assert [post_signup(client, event, **person(n)).status_code for n in range(3)] == [303] * 3
    with caplog.at_level(logging.WARNING, logger="registration.ratelimits"):
        refused = post_signup(client, event, **person(3))
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    page = refused.get_data(as_text=True)
    assert "Pārāk daudz mēģinājumu" in page
    assert "Nekas no nosūtītā netika saglabāts" in page
    assert saved(event) == 3
    # The limit's own log line names the limit, not the person (the request log, which
    # records addresses by design, is another logger).
    said = "\n".join(r.getMessage() for r in caplog.records if r.name == "registration.ratelimits")
    assert "limit reached (3 per 1 minute)" in said
    assert "203.0.113.7" not in said

    client.set_cookie("lang", "en")
    assert "Too many attempts" in post_signup(client, event, **person(4)).get_data(as_text=True)
    # Reading the page is never limited.
    assert client.get(f"/notikumi/{event.slug}").status_code == 200


def test_a_neighbour_on_another_address_still_signs_up(client, make_event):
    event = make_event()
    from_address(client, "203.0.113.7")
    for n in range(3):
        assert post_signup(client, event, **person(n)).status_code == 303
    assert post_signup(client, event, **person(3)).status_code == 429
    from_address(client, "203.0.113.8")
    assert post_signup(client, event, **person(10)).status_code == 303
    # The network (203.0.113.0/24) has had its five posts.
    from_address(client, "203.0.113.9")
    assert post_signup(client, event, **person(11)).status_code == 429
    from_address(client, "198.51.100.1")
    assert post_signup(client, event, **person(12)).status_code == 303
    assert saved(event) == 5


@pytest.mark.parametrize(
    ("address", "network"),
    [
        ("203.0.113.7", "203.0.113.0/24"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.7", "203.0.113.0/24"),
        ("unknown", "unknown"),
    ],
)
def test_a_network_is_the_24_or_the_64(address, network):
    assert client_network(address) == network


def test_a_store_that_fails_lets_people_sign_up(client, make_event, monkeypatch, caplog):
    def broken(self, *args, **kwargs):
        raise OperationalError("INSERT …", {}, Exception("the store is away"))

    monkeypatch.setattr(DatabaseStorage, "incr", broken)
    event = make_event()
    with caplog.at_level(logging.ERROR):
        response = post_signup(client, event, **person(1))
    assert response.status_code == 303
    assert saved(event) == 1
    assert "Failed to rate limit" in caplog.text


def test_a_store_per_process_is_warned_about_at_start(migrated_database, tmp_path, caplog):
    config = {
        **base_config(migrated_database),
        "TESTING": False,
        "RATELIMIT_STORAGE_URI": "memory://",
    }
    with caplog.at_level(logging.WARNING):
        app = create_app(config, instance_path=str(tmp_path))
    with app.app_context():
        db.engine.dispose()
    assert "RATELIMIT_STORAGE_URI is memory://" in caplog.text
    assert "each worker process counts on its own" in caplog.text


@pytest.fixture
def forget_limits_for_every_route():
    """The limiter is one object for every app: limits for every route set by a test's
    configuration must not reach the next test's app."""
    yield
    limiter.limit_manager.set_default_limits([])
    limiter.limit_manager.set_application_limits([])


@pytest.mark.parametrize(
    "app_config",
    [
        {**LIMITS, "RATELIMIT_DEFAULT": "2 per minute"},
        {**LIMITS, "RATELIMIT_APPLICATION": "2 per minute"},
    ],
    ids=["default", "application"],
)
def test_a_limit_the_configuration_sets_for_every_route_holds_page_reads(
    client, forget_limits_for_every_route
):
    assert [client.get("/").status_code for _ in range(3)] == [200, 200, 429]


def test_reading_pages_counts_nothing_and_a_sign_up_is_counted(client, make_event):
    event = make_event()
    for path in ("/", f"/notikumi/{event.slug}", "/kalendars/visi.ics"):
        assert client.get(path).status_code == 200
    assert db.session.scalar(sa.select(sa.func.count()).select_from(counters.counters)) == 0
    assert post_signup(client, event, **person(1)).status_code == 303
    assert db.session.scalar(sa.select(sa.func.count()).select_from(counters.counters)) > 0


def test_with_limit_headers_on_a_limited_form_says_what_is_left(client, make_event, monkeypatch):
    # RATELIMIT_HEADERS_ENABLED, set here as the limiter (one object for every app in a
    # process) keeps the setting of the first app it was given.
    monkeypatch.setattr(limiter, "_headers_enabled", True)
    event = make_event()
    assert "X-RateLimit-Limit" not in client.get(f"/notikumi/{event.slug}").headers
    response = post_signup(client, event, **person(1))
    assert response.status_code == 303
    # One of the two limits (per address, per network), after one sign-up.
    limit = int(response.headers["X-RateLimit-Limit"])
    assert limit in {3, 5}
    assert int(response.headers["X-RateLimit-Remaining"]) == limit - 1
