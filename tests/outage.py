"""A database that goes away for a moment, as while its server restarts or a network hiccups."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.orm import Session


class DatabaseOutage:
    """While it lasts, the pool's connections are gone and every new one is refused."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self.active = False

    def _drop(self, dbapi_connection, connection_record, connection_proxy):
        # The pool closes a connection found dead on checkout and opens a new one ...
        if self.active:
            raise sa.exc.DisconnectionError("the server closed the connection")

    def _refuse(self, dialect, connection_record, cargs, cparams):
        # ... which the server refuses.
        if self.active:
            raise dialect.loaded_dbapi.OperationalError("the database system is starting up")

    def start(self) -> None:
        self.active = True

    def end(self) -> None:
        self.active = False

    @contextmanager
    def installed(self) -> Iterator[DatabaseOutage]:
        sa.event.listen(self.engine, "do_connect", self._refuse)
        sa.event.listen(self.engine, "checkout", self._drop)
        try:
            yield self
        finally:
            self.end()
            sa.event.remove(self.engine, "checkout", self._drop)
            sa.event.remove(self.engine, "do_connect", self._refuse)


@contextmanager
def outage_after_next_commit(engine: sa.Engine) -> Iterator[DatabaseOutage]:
    """The database goes away right after the next commit that wrote something (a read ended
    by a commit does not count), until the block ends (or `end()` is called)."""
    outage = DatabaseOutage(engine)

    wrote = threading.Event()
    committed = threading.Event()

    def on_execute(conn, cursor, statement, *args) -> None:
        if statement.lstrip()[:6].upper() in {"INSERT", "UPDATE", "DELETE"}:
            wrote.set()

    def on_commit(session: Session) -> None:
        if wrote.is_set() and not committed.is_set():
            committed.set()
            outage.start()

    with outage.installed():
        sa.event.listen(engine, "before_cursor_execute", on_execute)
        sa.event.listen(Session, "after_commit", on_commit)
        try:
            yield outage
        finally:
            sa.event.remove(Session, "after_commit", on_commit)
            sa.event.remove(engine, "before_cursor_execute", on_execute)
