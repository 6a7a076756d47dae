"""Business rules as plain functions: no request, session or template in here."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from ..database import start_write_transaction
from ..extensions import db


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
    """One write transaction around the block: committed at its end, rolled back if it raises.

    It begins with `start_write_transaction()`, before the block's first read, so on SQLite
    it waits for another writer (a second worker, the mail sender) instead of failing with
    "database is locked"; and a refusal (a DomainError) releases the lock at once rather than
    when the request ends.
    """
    start_write_transaction()
    try:
        yield
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
