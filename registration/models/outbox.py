"""The mail outbox: every email is a row, written in the transaction that causes it.

A sender (a thread of the web process, or `flask mail send`) claims rows, hands them to the
mail server and marks them sent; see `registration/mail/outbox.py` for the life of a row.
"""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import now_utc
from ..types import UTCDateTime
from .base import Timestamps, enum_column


class OutboxState(enum.Enum):
    PENDING = "pending"  #: waiting for its turn (new, or a retry after a temporary failure)
    SENDING = "sending"  #: claimed by a sender until `lease_expires_at`
    SENT = "sent"  #: the mail server accepted it (or the .eml file was written)
    FAILED = "failed"  #: refused for good, or out of attempts; an organiser may retry it


#: `last_error` of a failed row that was never tried: held back because its address has not
#: confirmed and already had its share of messages nobody asked for. It is sent when the
#: address is confirmed, or when an organiser sends it again.
HELD_BACK = "held back: the address is not confirmed and had its messages for now"


class OutboxMessage(Timestamps, db.Model):
    __table_args__ = (
        # What a sender asks for on every round: due pending rows and expired leases.
        sa.Index("ix_outbox_message_state_next_attempt_at", "state", "next_attempt_at"),
        sa.CheckConstraint("attempts >= 0", name="attempts_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    state: Mapped[OutboxState] = mapped_column(
        enum_column(OutboxState), default=OutboxState.PENDING
    )
    #: What the message is ("confirmation", "reminder", "participant_message", …).
    kind: Mapped[str] = mapped_column(sa.String(40))
    #: The address it goes to, and the person's name for the To header.
    recipient: Mapped[str] = mapped_column(sa.String(254))
    recipient_name: Mapped[str] = mapped_column(sa.String(200), default="")
    subject: Mapped[str] = mapped_column(sa.String(400))
    text_body: Mapped[str] = mapped_column(sa.Text)
    html_body: Mapped[str | None] = mapped_column(sa.Text)
    #: Where replies go: the event's contact.
    reply_to: Mapped[str] = mapped_column(sa.String(254), default="")
    #: Further headers, e.g. {"Auto-Submitted": "auto-generated"}.
    headers: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    #: The Message-ID header, fixed when queued so that a repeated delivery is recognisable.
    message_id: Mapped[str] = mapped_column(sa.String(255), unique=True)
    #: False while the subject and bodies are still to be written, from the email template
    #: of its kind and `writing_context`: the sender writes them just before sending, so a
    #: sign-up queues its confirmation without rendering it while the event is locked
    #: (`mail/composer.py`). Once written, the row keeps what was sent.
    written: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    #: What a message still to be written needs beyond its registration and event (plain
    #: JSON: which parts of an event changed, whether an organiser cancelled).
    writing_context: Mapped[dict | None] = mapped_column(sa.JSON)
    #: The bodies hold a placeholder for the registration's private link, filled in only
    #: when sending, so the outbox never stores a working token.
    has_manage_link: Mapped[bool] = mapped_column(default=False)
    #: At most one row per key: reminders and other once-only messages can't be queued twice.
    dedupe_key: Mapped[str | None] = mapped_column(sa.String(200), unique=True)
    #: Delivery attempts started so far.
    attempts: Mapped[int] = mapped_column(default=0)
    #: Not to be tried before this moment (backoff after a temporary failure).
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    #: While sending: the sender that claimed the row, and until when the claim holds.
    claimed_by: Mapped[str | None] = mapped_column(sa.String(120))
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The last failure as the mail server (or the network) put it.
    last_error: Mapped[str] = mapped_column(sa.Text, default="")
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    registration_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("registration.id", ondelete="SET NULL"), index=True
    )
    event_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("event.id", ondelete="SET NULL"), index=True
    )
    #: The organiser who wrote it (messages to participants), else empty.
    sent_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organiser.id", ondelete="SET NULL")
    )

    attachments: Mapped[list[OutboxAttachment]] = relationship(
        back_populates="message",
        order_by="OutboxAttachment.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.kind} {self.state.value}>"

    @property
    def is_failed(self) -> bool:
        return self.state is OutboxState.FAILED

    @property
    def is_held_back(self) -> bool:
        return self.state is OutboxState.FAILED and self.last_error == HELD_BACK


class OutboxAttachment(db.Model):
    """A file sent with a message, such as the personal .ics."""

    #: `generated_by` values: files made when the message is sent, from its registration.
    PERSONAL_CALENDAR = "personal_calendar"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(
        sa.ForeignKey("outbox_message.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(sa.String(200))
    #: The full Content-Type, parameters included ("text/calendar; method=PUBLISH").
    content_type: Mapped[str] = mapped_column(sa.String(200))
    #: The file itself; empty when it is generated at sending time.
    data: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    #: Made when sending rather than stored: the personal .ics carries the private manage
    #: link (so it must not rest in the database) and should show the event as it is then,
    #: with the SEQUENCE of the latest change.
    generated_by: Mapped[str | None] = mapped_column(sa.String(40))

    message: Mapped[OutboxMessage] = relationship(back_populates="attachments")
