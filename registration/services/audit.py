"""Writing and reading the audit log.

`record()` adds an entry to the current session without committing, so it lands in the same
transaction as the change it describes: both are saved, or neither is.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import AuditAction, AuditEntry, Event, Organiser, Registration
from . import unit_of_work


def record(
    action: AuditAction,
    actor: Organiser | None,
    *,
    event: Event | None = None,
    registration: Registration | None = None,
    subject: str = "",
    **details: Any,
) -> AuditEntry:
    """Add an entry for `action` by `actor`; the caller commits."""
    if registration is not None and event is None:
        event = registration.event
    entry = AuditEntry(
        action=action,
        organiser_id=actor.id if actor is not None else None,
        actor=actor.email if actor is not None else "",
        event=event,
        registration=registration,
        subject=(subject or (event.title if event is not None else ""))[:300],
        details=details,
    )
    db.session.add(entry)
    return entry


def record_export(
    actor: Organiser | None,
    kind: str,
    *,
    event: Event | None = None,
    subject: str = "",
    **details: Any,
) -> None:
    """Personal data left the system (a download, a printed list): one entry, committed."""
    with unit_of_work():
        record(AuditAction.EXPORTED, actor, event=event, subject=subject, format=kind, **details)


def recent_entries(*, page: int = 1, per_page: int = 100, event_id: int | None = None):
    """One page of entries, newest first, and whether an older page exists."""
    query = sa.select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    if event_id is not None:
        query = query.where(AuditEntry.event_id == event_id)
    query = query.options(selectinload(AuditEntry.event), selectinload(AuditEntry.registration))
    rows = list(db.session.scalars(query.offset((page - 1) * per_page).limit(per_page + 1)))
    return rows[:per_page], len(rows) > per_page
