"""The block list: email addresses and domains from which the public site takes no sign-ups.

Organisers keep it in the back office. A sign-up from a listed address, or from an address
at a listed domain or one of its subdomains, is refused the way a robot is: nothing saved, no
mail, and a page that says nothing of it (`signup_guard`). People an organiser enters by hand
are not checked: the organiser knows them.
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask_babel import gettext as _

from ..extensions import db
from ..models import AuditAction, BlockedAddress, Organiser
from . import DomainError, NotFound, audit, unit_of_work

#: `name@example.lv` or `example.lv`: what an entry may look like once lower-cased.
_ADDRESS = re.compile(r"[^@\s]+@[a-z0-9.-]+\.[a-z0-9-]{2,}")
_DOMAIN = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9-]{2,}")


def normalise(value: str) -> str:
    """An entry as stored: trimmed, lower case, without a leading '@' or a trailing dot."""
    return value.strip().lower().removeprefix("@").rstrip(".")


def _candidates(email_key: str) -> list[str]:
    """The entries that would block this address: itself, its domain and parent domains."""
    domain = email_key.rpartition("@")[2]
    labels = domain.split(".")
    return [email_key] + [".".join(labels[i:]) for i in range(len(labels) - 1)]


def is_blocked(email_key: str | None) -> bool:
    if not email_key or "@" not in email_key:
        return False
    query = sa.select(
        sa.exists().where(BlockedAddress.value.in_(_candidates(normalise(email_key))))
    )
    return bool(db.session.scalar(query))


def entries() -> list[BlockedAddress]:
    """The list, domains first, each group in alphabetical order."""
    rows = db.session.scalars(sa.select(BlockedAddress).order_by(BlockedAddress.value))
    return sorted(rows, key=lambda entry: not entry.is_domain)


def add(value: str, *, note: str = "", actor: Organiser | None) -> BlockedAddress:
    """Block an address or a domain; adding one that is listed already changes nothing."""
    value = normalise(value)
    if not (_ADDRESS.fullmatch(value) or _DOMAIN.fullmatch(value)) or len(value) > 254:
        raise DomainError(_("Write an email address (name@example.lv) or a domain (example.lv)."))
    with unit_of_work():
        return _add(value, note.strip()[:300], actor)


def add_many(values, *, note: str = "", actor: Organiser | None) -> int:
    """Block several addresses at once (inside the caller's unit of work); returns how many
    were new."""
    added = 0
    with unit_of_work():
        for value in sorted({normalise(v) for v in values if v and "@" in v}):
            if _find(value) is None:
                _add(value, note, actor)
                added += 1
    return added


def _find(value: str) -> BlockedAddress | None:
    return db.session.scalar(sa.select(BlockedAddress).where(BlockedAddress.value == value))


def _add(value: str, note: str, actor: Organiser | None) -> BlockedAddress:
    existing = _find(value)
    if existing is not None:
        return existing
    entry = BlockedAddress(value=value, note=note)
    db.session.add(entry)
    audit.record(AuditAction.ADDRESS_BLOCKED, actor, subject=value)
    return entry


def remove(entry_id: int, *, actor: Organiser | None) -> str:
    """Take an entry off the list; returns what it was."""
    with unit_of_work():
        entry = db.session.get(BlockedAddress, entry_id)
        if entry is None:
            raise NotFound(_("This entry is no longer on the list."))
        value = entry.value
        db.session.delete(entry)
        audit.record(AuditAction.ADDRESS_UNBLOCKED, actor, subject=value)
    return value
