"""A storage for the `limits` library (and so Flask-Limiter) in the app's own database.

Registered under the URI scheme `database://`: with `RATELIMIT_STORAGE_URI = "database://"`
(the default) every worker and every app server of an install counts in the same table
(`counters.py`), and no further server is needed. It supports Flask-Limiter's default
strategy, the fixed window; installs that want another strategy use one of Flask-Limiter's
own storages (`redis://…`, `memcached://…`).

The storage is given a way to reach an engine rather than a URL: the app passes its own
(`lambda: db.engine`), so counting uses the app's connection pool and database settings.
"""

from __future__ import annotations

from collections.abc import Callable

from limits.storage import Storage
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from ..timeutil import now_utc
from . import counters

SCHEME = "database"


class DatabaseStorage(Storage):
    """Fixed-window counters in the `rate_limit_counter` table."""

    STORAGE_SCHEME = [SCHEME]

    def __init__(
        self,
        uri: str | None = None,
        wrap_exceptions: bool = False,
        *,
        engine: Callable[[], Engine] | None = None,
        secret: str = "",
        **options,
    ) -> None:
        if engine is None or not secret:
            raise ValueError(
                "the database:// rate-limit storage needs the app's engine and secret key; "
                "registration.ratelimits.init_app passes them"
            )
        self._engine = engine
        self._secret = secret
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    @property
    def base_exceptions(self) -> type[Exception]:
        return SQLAlchemyError

    def _key(self, key: str) -> str:
        return counters.digest(self._secret, key)

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        engine = self._engine()
        with counters.write_transaction(engine) as connection, connection.begin():
            stored = self._key(key)
            count = counters.hit(connection, [counters.Hit(stored, expiry, amount)])[stored]
        counters.purge_expired(engine)
        return count.hits

    def get(self, key: str) -> int:
        with self._engine().connect() as connection:
            count = counters.current(connection, self._key(key))
        return count.hits if count else 0

    def get_expiry(self, key: str) -> float:
        with self._engine().connect() as connection:
            count = counters.current(connection, self._key(key))
        return count.expires_at if count else now_utc().timestamp()

    def check(self) -> bool:
        try:
            with self._engine().connect() as connection:
                counters.current(connection, "")
        except SQLAlchemyError:
            return False
        return True

    def reset(self) -> int:
        with counters.write_transaction(self._engine()) as connection, connection.begin():
            return counters.clear(connection)

    def clear(self, key: str) -> None:
        with counters.write_transaction(self._engine()) as connection, connection.begin():
            counters.clear(connection, self._key(key))
