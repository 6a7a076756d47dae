"""Fixed-window counters in the app's own database: the store every limit of the app shares.

One table, one row per counter: how many hits it has had and when its window ends. A hit is
one atomic statement, `INSERT … ON CONFLICT (key) DO UPDATE … RETURNING`, on SQLite and
PostgreSQL alike (built once, so that it is compiled once): the database itself adds to the count (or starts a new window when the old
one has ended) and answers with the result, so several processes counting at once never lose
a hit, and nothing is read first and written later.

The same statement serves two callers: the Flask-Limiter storage (`storage.py`), which runs
it in a transaction of its own before a view, and the rules that count inside a use case's
unit of work (a sign-up, a message), which run it on the session's connection so the count
commits or rolls back with the change it counts.

Keys are stored as a keyed hash (HMAC with the secret key): a limit's key may hold a client's
address or an email address, and the table needs only to tell keys apart. Rows whose window
has ended are deleted now and then by `purge_expired`.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from ..database import IMMEDIATE
from ..extensions import db
from ..timeutil import now_utc

#: The table of counters. A plain table rather than a model: it is the limiter's storage,
#: not part of the domain, and only the statements here touch it.
counters = sa.Table(
    "rate_limit_counter",
    db.metadata,
    #: HMAC-SHA256 of the limit's key (hex, shortened): no address is stored.
    sa.Column("key", sa.String(40), primary_key=True),
    #: Hits in the current window.
    sa.Column("hits", sa.Integer, nullable=False),
    #: When the current window began, and when it ends (seconds since the epoch, UTC).
    sa.Column("started_at", sa.Float, nullable=False),
    sa.Column("expires_at", sa.Float, nullable=False),
    sa.Index("ix_rate_limit_counter_expires_at", "expires_at"),
)

#: How often a process deletes the rows whose window has ended (seconds).
PURGE_INTERVAL = 300

_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def _now() -> float:
    """Seconds since the epoch on the app's one clock (frozen in tests with `frozen_time`)."""
    return now_utc().timestamp()


def digest(secret: str | bytes, key: str) -> str:
    """The stored form of `key`: 160 bits of its HMAC under `secret`, in hex."""
    secret_bytes = secret if isinstance(secret, bytes) else secret.encode()
    mac = hmac.new(secret_bytes, key.encode("utf-8"), hashlib.sha256)
    return mac.hexdigest()[:40]


@dataclass(frozen=True)
class Hit:
    """One hit to count: the (already hashed) key, its window in seconds, and how much."""

    key: str
    seconds: float
    amount: int = 1


@dataclass(frozen=True)
class Count:
    """A counter after the hit: hits in its window and when the window ends (seconds since
    the epoch)."""

    hits: int
    expires_at: float


def _upsert(dialect: str) -> sa.Insert:
    """The counting statement, built once per dialect so that SQLAlchemy compiles it once.

    The rows go in as parameters, not `.values([...])` (which is compiled anew every time),
    and the moment of the hit comes in the row itself (`started_at`), so that several
    keys are counted in one statement ("insertmanyvalues"); each row returned names its key.
    """
    statement = _UPSERTS.get(dialect)
    if statement is None:
        insert = _INSERTS[dialect](counters)
        new = insert.excluded
        ended = counters.c.expires_at <= new.started_at
        statement = insert.on_conflict_do_update(
            index_elements=[counters.c.key],
            set_={
                "hits": sa.case((ended, new.hits), else_=counters.c.hits + new.hits),
                "started_at": sa.case((ended, new.started_at), else_=counters.c.started_at),
                "expires_at": sa.case((ended, new.expires_at), else_=counters.c.expires_at),
            },
        ).returning(counters.c.key, counters.c.hits, counters.c.expires_at)
        _UPSERTS[dialect] = statement
    return statement


_UPSERTS: dict[str, sa.Insert] = {}


def hit(
    connection: Connection, hits: Iterable[Hit], *, now: float | None = None
) -> dict[str, Count]:
    """Count `hits` on `connection` in one statement (no commit); returns each key's count
    after it.

    Several hits on one key are added together. Keys go in sorted order, so two
    transactions that count the same keys take their row locks (PostgreSQL) in the same order
    and never deadlock.
    """
    now = _now() if now is None else now
    merged: dict[str, Hit] = {}
    for one in hits:
        known = merged.get(one.key)
        merged[one.key] = Hit(one.key, one.seconds, one.amount + (known.amount if known else 0))
    if not merged:
        return {}
    rows = [
        {"key": key, "hits": one.amount, "started_at": now, "expires_at": now + one.seconds}
        for key, one in sorted(merged.items())
    ]
    result = connection.execute(_upsert(connection.dialect.name), rows)
    return {key: Count(hits, expires_at) for key, hits, expires_at in result}


def current(connection: Connection, key: str, *, now: float | None = None) -> Count | None:
    """The counter's hits and window end, or None when it has none running."""
    now = _now() if now is None else now
    row = connection.execute(
        sa.select(counters.c.hits, counters.c.expires_at).where(
            counters.c.key == key, counters.c.expires_at > now
        )
    ).first()
    return Count(row.hits, row.expires_at) if row else None


def clear(connection: Connection, key: str | None = None) -> int:
    """Forget one counter (or all of them); returns how many rows went."""
    statement = sa.delete(counters)
    if key is not None:
        statement = statement.where(counters.c.key == key)
    return connection.execute(statement).rowcount


def write_transaction(engine: Engine):
    """A short transaction of its own for counting: on SQLite it takes the write lock at once
    (BEGIN IMMEDIATE), so it waits its turn instead of failing as "database is locked"."""
    return engine.connect().execution_options(**IMMEDIATE)


class _Purger:
    """Deletes ended windows at most every PURGE_INTERVAL seconds per process."""

    def __init__(self) -> None:
        self._next = 0.0
        self._lock = threading.Lock()

    def due(self, now: float) -> bool:
        with self._lock:
            if now < self._next:
                return False
            self._next = now + PURGE_INTERVAL
            return True


_purger = _Purger()


def purge_expired(engine: Engine, *, force: bool = False) -> int:
    """Delete the rows whose window has ended, in a transaction of its own (never inside a
    use case's, where it could wait on rows another transaction holds). Returns how many."""
    now = _now()
    if not (force or _purger.due(now)):
        return 0
    with write_transaction(engine) as connection, connection.begin():
        return connection.execute(sa.delete(counters).where(counters.c.expires_at <= now)).rowcount
