"""The audit log: who created, changed, cancelled or exported what, and when."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import now_utc
from ..types import UTCDateTime
from .base import enum_column
from .event import Event
from .organiser import Organiser
from .registration import Registration


class AuditAction(enum.Enum):
    EVENT_CREATED = "event_created"
    EVENT_CHANGED = "event_changed"
    EVENT_PUBLISHED = "event_published"
    EVENT_UNPUBLISHED = "event_unpublished"
    EVENT_CANCELLED = "event_cancelled"
    #: Recorded on the new copy; details name the original.
    EVENT_DUPLICATED = "event_duplicated"
    #: Personal data left the system; details name the format.
    EXPORTED = "exported"
    REGISTRATION_ADDED = "reg_added"
    REGISTRATION_CHANGED = "reg_changed"
    REGISTRATION_CANCELLED = "reg_cancelled"
    REGISTRATION_CONFIRMED = "reg_confirmed"
    ATTENDANCE_MARKED = "attendance_marked"
    MESSAGE_SENT = "message_sent"
    ACCOUNT_CREATED = "account_created"
    ACCOUNT_DISABLED = "account_disabled"
    ACCOUNT_ENABLED = "account_enabled"
    PASSWORD_RESET = "password_reset"  # noqa: S105 - an action name
    #: Sign-ups removed as junk; details list their ids and how many.
    JUNK_REMOVED = "junk_removed"
    #: An address or domain added to or taken off the block list; the subject names it.
    ADDRESS_BLOCKED = "address_blocked"
    ADDRESS_UNBLOCKED = "address_unblocked"
    PROJECT_CREATED = "project_created"
    PROJECT_CHANGED = "project_changed"
    PROJECT_PUBLISHED = "project_published"
    PROJECT_ARCHIVED = "project_archived"
    POST_CREATED = "post_created"
    POST_CHANGED = "post_changed"
    POST_PUBLISHED = "post_published"
    POST_UNPUBLISHED = "post_unpublished"
    DOCUMENT_ADDED = "document_added"
    DOCUMENT_CHANGED = "document_changed"
    #: The file behind a document was replaced (same public address).
    DOCUMENT_REPLACED = "document_replaced"
    DOCUMENT_PUBLISHED = "document_published"
    DOCUMENT_UNPUBLISHED = "document_withdrawn"
    ORGANISATION_CHANGED = "org_changed"


class AuditEntry(db.Model):
    """One thing an organiser did. Rows are only ever added, never changed."""

    __table_args__ = (sa.Index("ix_audit_entry_at", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: When it happened (UTC).
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    #: Who did it; kept empty if the account row ever goes away.
    organiser_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organiser.id", ondelete="SET NULL"), index=True
    )
    #: The organiser's email at the time, so the entry reads the same after renames.
    actor: Mapped[str] = mapped_column(sa.String(254), default="")
    action: Mapped[AuditAction] = mapped_column(enum_column(AuditAction))
    #: The event concerned, if any.
    event_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("event.id", ondelete="SET NULL"), index=True
    )
    #: The registration concerned, if any. Its personal data stay in the registration (and
    #: leave with it when it is anonymised): the log holds only the id.
    registration_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("registration.id", ondelete="SET NULL")
    )
    #: What was acted on, as a person reads it: an event title or an account's email.
    subject: Mapped[str] = mapped_column(sa.String(300), default="")
    #: Particulars: changed field names, the export format, the audience of a message.
    details: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)

    organiser: Mapped[Organiser | None] = relationship()
    event: Mapped[Event | None] = relationship()
    registration: Mapped[Registration | None] = relationship()

    def __repr__(self) -> str:
        return f"<AuditEntry {self.action.value} {self.subject!r}>"
