"""The shared counters: atomic on SQLite and PostgreSQL, windows that end, no keys in clear."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from limits import parse
from limits.strategies import FixedWindowRateLimiter

from registration.extensions import db
from registration.ratelimits import counters
from registration.ratelimits.storage import DatabaseStorage
from registration.timeutil import frozen_time

NOON = datetime(2027, 3, 10, 10, 0, tzinfo=UTC)


def count_once(key: str, seconds: float = 60, amount: int = 1, engine=None) -> counters.Count:
    with counters.write_transaction(engine or db.engine) as connection, connection.begin():
        return counters.hit(connection, [counters.Hit(key, seconds, amount)])[key]


def test_hits_add_up_until_the_window_ends_then_start_again(app):
    with frozen_time(NOON):
        assert count_once("k").hits == 1
        assert count_once("k", amount=2).hits == 3
        first_end = count_once("k").expires_at
    assert first_end == NOON.timestamp() + 60
    with frozen_time(NOON + timedelta(seconds=59)):
        assert count_once("k").hits == 5
    with frozen_time(NOON + timedelta(seconds=60)):
        again = count_once("k")
    assert (again.hits, again.expires_at) == (1, NOON.timestamp() + 120)


def test_several_keys_count_in_one_statement(app):
    with counters.write_transaction(db.engine) as connection, connection.begin():
        counts = counters.hit(
            connection,
            [counters.Hit("b", 60), counters.Hit("a", 3600), counters.Hit("b", 60)],
        )
    assert {key: count.hits for key, count in counts.items()} == {"a": 1, "b": 2}


def test_many_processes_counting_at_once_lose_no_hit(app):
    """Eight connections hit one counter 25 times each, all at once."""
    engine = db.engine

    def hammer(_):
        for _ in range(25):
            count_once("shared", seconds=600, engine=engine)

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(hammer, range(8)))
    assert count_once("shared", seconds=600, amount=0).hits == 200


def test_the_table_holds_no_key_in_clear(app):
    storage = DatabaseStorage("database://", engine=lambda: db.engine, secret="s" * 40)
    limiter = FixedWindowRateLimiter(storage)
    assert limiter.hit(parse("2 per minute"), "203.0.113.7", "ilze@example.lv")
    stored = db.session.scalars(sa.select(counters.counters.c.key)).all()
    assert len(stored) == 1
    assert "203.0.113.7" not in stored[0] and "ilze" not in stored[0]


def test_the_storage_serves_flask_limiters_fixed_window(app):
    storage = DatabaseStorage("database://", engine=lambda: db.engine, secret="s" * 40)
    limiter = FixedWindowRateLimiter(storage)
    item = parse("2 per minute")
    with frozen_time(NOON):
        assert limiter.hit(item, "a")
        assert limiter.hit(item, "a")
        assert not limiter.hit(item, "a")
        assert limiter.hit(item, "b")
        reset_at, remaining = limiter.get_window_stats(item, "a")
        assert (reset_at, remaining) == (NOON.timestamp() + 60, 0)
    with frozen_time(NOON + timedelta(minutes=1)):
        assert limiter.hit(item, "a")
        limiter.clear(item, "a")
        assert limiter.get_window_stats(item, "a").remaining == 2
        assert storage.check()
        assert storage.reset() == 1  # "b" is all that is left


def test_ended_windows_are_purged(app):
    with frozen_time(NOON):
        count_once("old", seconds=10)
        count_once("current", seconds=600)
    with frozen_time(NOON + timedelta(minutes=1)):
        assert counters.purge_expired(db.engine, force=True) == 1
    assert db.session.scalars(sa.select(counters.counters.c.key)).all() == ["current"]
