"""One writer at a time on SQLite, handed on by the operating system instead of by sleeping.

SQLite lets one transaction write at a time. A transaction that finds the write lock taken
waits in SQLite's busy handler, which sleeps in steps (1, 2, 5, 10, … 100 ms) and then looks
again; with several gunicorn workers and their mail senders writing at once (a rush of
sign-ups, each with its limits counted and its mail sent), much of the time goes to sleeping
after the lock is already free. So a write transaction (`BEGIN IMMEDIATE`) here first takes an
exclusive `flock` on a file beside the database, which the kernel gives to the next waiter the
moment it is let go, and lets it go only after its COMMIT or ROLLBACK: SQLite's own lock is
free whenever BEGIN IMMEDIATE asks for it. Readers pass freely (WAL lets them read during a
write). A process that dies lets go of its lock with its files.
"""

from __future__ import annotations

import fcntl
import os
import threading

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine


class WriteGate:
    """The lock file of one SQLite database; one open file per waiting transaction, so
    threads of one process exclude each other as processes do."""

    def __init__(self, database_path: str) -> None:
        self.path = f"{database_path}.writer-lock"
        self._held: dict[int, tuple[int, int]] = {}
        self._guard = threading.Lock()

    def enter(self, dbapi_connection) -> None:
        thread = threading.get_ident()
        with self._guard:
            if any(holder == thread for _, holder in self._held.values()):
                # This thread already writes on another connection: waiting for itself would
                # never end. SQLite's own lock decides, as it would without the gate.
                return
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except BaseException:
            os.close(fd)
            raise
        with self._guard:
            self._held[id(dbapi_connection)] = (fd, thread)

    def leave(self, dbapi_connection) -> None:
        with self._guard:
            held = self._held.pop(id(dbapi_connection), None)
        if held is not None:
            os.close(held[0])  # closing the file lets go of its lock


def _raw(connection):
    """The DBAPI connection behind a pool's proxy (or itself)."""
    return getattr(connection, "dbapi_connection", connection)


def gate_for(engine: Engine) -> WriteGate | None:
    """The gate of a file-backed SQLite engine, installed on first use; None otherwise."""
    dialect = engine.dialect
    gate = getattr(dialect, "_write_gate", None)
    if gate is not None or dialect.name != "sqlite":
        return gate
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    gate = WriteGate(os.path.abspath(database))
    commit, rollback = dialect.do_commit, dialect.do_rollback

    def do_commit(connection) -> None:
        try:
            commit(connection)
        finally:
            gate.leave(_raw(connection))

    def do_rollback(connection) -> None:
        try:
            rollback(connection)
        finally:
            gate.leave(_raw(connection))

    dialect.do_commit, dialect.do_rollback = do_commit, do_rollback
    # A connection closed or invalidated in the middle of a write lets go too.
    event.listen(engine, "close", lambda dbapi, record: gate.leave(dbapi))
    event.listen(engine, "invalidate", lambda dbapi, record, exc: gate.leave(dbapi))
    dialect._write_gate = gate
    return gate


def begin_immediate(conn: Connection) -> None:
    """`BEGIN IMMEDIATE` on `conn`, once this transaction holds the database's gate."""
    gate = gate_for(conn.engine)
    raw = _raw(conn.connection)
    if gate is not None:
        gate.enter(raw)
    try:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    except BaseException:
        if gate is not None:
            gate.leave(raw)
        raise
