"""Business rules as plain functions: no request, session or template in here.

Each public service function is one use case and one unit of work: the change, the outbox
rows its signals write and its audit entry commit together, once, when the outermost
`unit_of_work()` ends. A service that calls another joins its transaction rather than
committing on its own, so a crash can never leave a change without its record.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from ..database import start_write_transaction
from ..extensions import db

#: Keys in the session's `info`: how deep the current unit of work is nested, and what to do
#: once it has committed.
_DEPTH = "unit_of_work_depth"
_AFTER_COMMIT = "unit_of_work_after_commit"
_ON_ROLLBACK = "unit_of_work_on_rollback"


class DomainError(Exception):
    """A rule said no. `message` is a translated sentence fit to show the person."""

    def __init__(self, message: str) -> None:
        super().__init__(str(message))
        self.message = message


class NotFound(Exception):
    """What the caller named (an event, a registration, an account) does not exist.

    Services raise this rather than an HTTP error; the web layer turns it into a 404. It is
    not a DomainError (a rule saying no), so code that shows a refusal to the person does
    not catch it by accident. `message` is a translated sentence all the same.
    """

    def __init__(self, message: str) -> None:
        super().__init__(str(message))
        self.message = message


@contextmanager
def unit_of_work() -> Iterator[None]:
    """One write transaction around a use case: committed at its end, rolled back if it raises.

    The outermost block begins with `start_write_transaction()`, before the block's first
    read, so on SQLite it waits for another writer (a second worker, the mail sender) instead
    of failing with "database is locked"; and a refusal (a DomainError) releases the lock at
    once rather than when the request ends. A block inside another joins it: only the
    outermost one commits, so a use case built from others is still one transaction.
    """
    session = db.session()
    depth = session.info.get(_DEPTH, 0)
    if depth:
        session.info[_DEPTH] = depth + 1
        try:
            yield
        finally:
            session.info[_DEPTH] = depth
        return

    start_write_transaction(session)
    session.info[_DEPTH] = 1
    try:
        yield
        session.commit()
    except BaseException:
        session.rollback()
        session.info.pop(_AFTER_COMMIT, None)
        for callback in session.info.pop(_ON_ROLLBACK, ()):
            callback()
        raise
    finally:
        session.info[_DEPTH] = 0
    session.info.pop(_ON_ROLLBACK, None)
    for callback in session.info.pop(_AFTER_COMMIT, ()):
        callback()


def after_commit(callback: Callable[[], None]) -> None:
    """Run `callback` once the current unit of work has committed; never if it rolls back.

    For work outside the database that must follow the change and never precede it, such as
    removing files that hold erased personal data.
    """
    session = db.session()
    if not session.info.get(_DEPTH):
        raise RuntimeError("after_commit() needs a unit of work")
    session.info.setdefault(_AFTER_COMMIT, []).append(callback)


def on_rollback(callback: Callable[[], None]) -> None:
    """Run `callback` if the current unit of work rolls back; never once it has committed.

    For work outside the database done ahead of the commit that must not outlive a failed
    one, such as removing an uploaded file written before its row.
    """
    session = db.session()
    if not session.info.get(_DEPTH):
        raise RuntimeError("on_rollback() needs a unit of work")
    session.info.setdefault(_ON_ROLLBACK, []).append(callback)
