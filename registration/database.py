"""Database engine set-up: SQLite pragmas, write transactions, errors that quote no personal
data, and a start-up check."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TypeVar

import sqlalchemy as sa
from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, InterfaceError, NoSuchModuleError, OperationalError

from .config import ConfigError
from .extensions import db
from .timeutil import now_utc
from .write_gate import begin_immediate

logger = logging.getLogger(__name__)
T = TypeVar("T")

SUPPORTED_BACKENDS = ("sqlite", "postgresql")

#: Execution option that makes the next SQLite transaction take the write lock at BEGIN.
#: SQLAlchemy drops FOR UPDATE on SQLite, so this is how a transaction there is serialised.
IMMEDIATE = {"sqlite_begin": "IMMEDIATE"}


@event.listens_for(Engine, "connect")
def _sqlite_on_connect(dbapi_connection, connection_record) -> None:
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    # Let SQLAlchemy emit BEGIN itself (see _sqlite_begin); pysqlite's own handling would
    # start transactions lazily and never as IMMEDIATE.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    # WAL lets readers go on while one process writes; several gunicorn workers need it.
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute("PRAGMA busy_timeout = 30000")
    cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin(conn: Connection) -> None:
    if conn.dialect.name != "sqlite":
        return
    mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
    if mode == "IMMEDIATE":
        begin_immediate(conn)  # queued for the write lock by the kernel (write_gate.py)
    else:
        conn.exec_driver_sql(f"BEGIN {mode}")


@event.listens_for(Engine, "handle_error")
def _no_values_in_errors(context) -> None:
    """Keep the row's values out of a database error's message, and so out of every log.

    PostgreSQL adds a DETAIL line that quotes them ("Key (event_id, email_key)=(4,
    anna@example.lv) already exists", "Failing row contains (…name, email, the link's
    nonce…)"), and psycopg puts it into the exception's text, which SQLAlchemy copies into
    its own. Both keep only the primary message; the detail stays in `orig.diag` for code
    that needs it. The statement's parameters are hidden by the engine option
    `hide_parameters` (see `engine_options`).
    """
    orig = context.original_exception
    primary = getattr(getattr(orig, "diag", None), "message_primary", None)
    if not primary or str(orig) == primary:
        return
    orig.args = (primary,)
    wrapped = context.sqlalchemy_exception
    if wrapped is not None:
        wrapped.args = (f"({type(orig).__module__}.{type(orig).__name__}) {primary}",)


def engine_options(configured: dict | None) -> dict:
    """The configured engine options, always with `hide_parameters`: an error's message and
    SQLAlchemy's logs never list a statement's values (names, addresses, link nonces)."""
    return {**(configured or {}), "hide_parameters": True}


def start_write_transaction(session=None) -> None:
    """Begin a unit of work that will write, as a write transaction from its first statement.

    Every service that reads and then writes starts with this. On SQLite a transaction that
    has only read and then writes fails at once ("database is locked") when another process
    (another worker, the mail sender) wrote in between; one opened with BEGIN IMMEDIATE waits
    its turn instead. A read-only transaction still open (a view loaded something first) is
    ended; unsaved changes at this point are a programming error.
    """
    session = session or db.session()
    if session.in_transaction():
        if session.new or session.dirty or session.deleted:
            raise RuntimeError("a write transaction must start without unsaved changes")
        session.rollback()
    begin_write(session)


def begin_write(session=None) -> Connection:
    """Start the session's transaction as a write transaction.

    On SQLite this is `BEGIN IMMEDIATE` (it must be the first statement of the transaction);
    on PostgreSQL it is an ordinary transaction and callers lock rows with FOR UPDATE.
    """
    session = session or db.session
    return session.connection(execution_options=IMMEDIATE)


#: While the database cannot be reached, how long to wait before asking again: doubling,
#: from the first to the longest (seconds).
RETRY_FIRST_SECONDS, RETRY_LONGEST_SECONDS = 0.5, 5.0


def once_reachable(
    call: Callable[[], T], *, until: datetime, stop: threading.Event | None = None
) -> T:
    """`call()`, done again (after a rollback) while the database cannot be reached.

    For work that must not wait for a timeout to be cleaned up, such as recording that a
    message went out: it is recorded as soon as the database answers again. Gives up (raises)
    at `until`, or when `stop` is set.
    """
    pause = RETRY_FIRST_SECONDS
    while True:
        try:
            return call()
        except (OperationalError, InterfaceError) as exc:
            db.session.rollback()
            if now_utc() >= until or (stop is not None and stop.is_set()):
                raise
            logger.warning(
                "the database cannot be reached (%s); trying again in %s s",
                type(exc.orig).__name__,
                pause,
            )
            if stop is not None:
                stop.wait(pause)
            else:
                time.sleep(pause)
            pause = min(pause * 2, RETRY_LONGEST_SECONDS)


def default_sqlite_uri(instance_path: str) -> str:
    return f"sqlite:///{Path(instance_path) / 'registration.sqlite3'}"


def validate_database_uri(uri: str) -> None:
    try:
        url = make_url(uri)
    except ArgumentError as exc:
        raise ConfigError(
            f"SQLALCHEMY_DATABASE_URI is not a database URL ({uri!r}); use "
            "sqlite:///path/to/file.sqlite3 or postgresql+psycopg://user:password@host/name"
        ) from exc
    if url.get_backend_name() not in SUPPORTED_BACKENDS:
        raise ConfigError(
            f"unsupported database {url.get_backend_name()!r} in SQLALCHEMY_DATABASE_URI; "
            "use sqlite:///… or postgresql+psycopg://…"
        )
    try:
        url.get_dialect()
    except NoSuchModuleError as exc:
        raise ConfigError(
            f"no driver for {url.drivername!r}; for PostgreSQL use postgresql+psycopg://…"
        ) from exc


def check_connection(app: Flask) -> None:
    """Connect once at start-up so a wrong host or password is one clear line, not a 500."""
    with app.app_context():
        engine = db.engine
        shown = engine.url.render_as_string(hide_password=True)
        try:
            with engine.connect() as conn:
                conn.execute(sa.text("SELECT 1"))
        except OperationalError as exc:
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            raise ConfigError(
                f"cannot connect to the database {shown}: {reason}. Check "
                "FLASK_SQLALCHEMY_DATABASE_URI and that the database server is running"
            ) from exc
