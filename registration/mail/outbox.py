"""The outbox's rules: queue a message, claim rows for sending, record how it went.

The life of a row::

    pending ──claim──▶ sending ──accepted──▶ sent
       ▲                  │
       └── temporary ─────┤  (4xx, connection trouble: back to pending after a backoff)
                          └── permanent or out of attempts ──▶ failed ──retry()──▶ pending

A claim is one atomic statement: on PostgreSQL the candidate rows are locked with
`FOR UPDATE SKIP LOCKED`, so several senders take disjoint rows without waiting for each
other; on SQLite the claim is a conditional UPDATE inside a write transaction (`BEGIN
IMMEDIATE`), which SQLite runs one at a time. Either way a row is in the hands of one sender.

A claimed row carries a lease. A sender that dies (SIGKILL, power cut) leaves its rows
"sending"; once the lease expires any sender claims them again. No row is lost. A sender
that lives through a database outage does not leave it to the lease: it records what it
sent, and gives back what it did not, as soon as the database answers again (sender.py).

Delivery is *at least once*, not exactly once. If the process dies after the mail server
answered "250 accepted" but before the row was marked sent, the row's lease expires and the
message is sent a second time. The window is one database commit long. Both copies carry
the same Message-ID (fixed when the row was queued), so mail servers and clients that
de-duplicate by Message-ID show it once, and a person who sees both can tell they are the
same message rather than two registrations. Exactly-once is not possible over SMTP: the
server's acceptance and our database commit cannot be one transaction. The opposite choice
(mark sent first, then send) would lose messages instead, which is worse for a confirmation.

Nothing here commits, except the sender-side functions whose docstrings say so: `queue()`
and `retry()` change the caller's transaction, so a message is written together with the
change that causes it, or not at all.
"""

from __future__ import annotations

import os
import random
import socket
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parseaddr
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..database import begin_write
from ..extensions import db
from ..models import Event, Organiser, OutboxAttachment, OutboxMessage, OutboxState, Registration
from ..models.outbox import HELD_BACK
from ..services import DomainError
from ..timeutil import now_utc

#: Written into message bodies where the registration's private link goes; the sender puts
#: the real link in at delivery time (see `OutboxMessage.has_manage_link`).
MANAGE_LINK_PLACEHOLDER = "%%MANAGE_LINK%%"
#: The same for the registration's feedback link (the thank-you after an event).
FEEDBACK_LINK_PLACEHOLDER = "%%FEEDBACK_LINK%%"


@dataclass(frozen=True)
class Attachment:
    """A file to send; either `data`, or `generated_by` naming how the sender makes it."""

    filename: str
    content_type: str
    data: bytes | None = None
    generated_by: str | None = None


def one_line(value: str | None, limit: int | None = None) -> str:
    """Text fit for a header: CR, LF, tabs and runs of spaces become one space.

    This is what keeps a name such as "Anna\\r\\nBcc: x@y" from adding a header.
    """
    text = " ".join((value or "").split())
    return text[:limit] if limit else text


def _message_id() -> str:
    sender = parseaddr(current_app.config.get("MAIL_DEFAULT_SENDER") or "")[1]
    domain = sender.rpartition("@")[2] or urlsplit(current_app.config["PUBLIC_BASE_URL"]).hostname
    return f"<{uuid.uuid4().hex}@{domain or 'localhost'}>"


def queue(
    *,
    kind: str,
    recipient: str,
    subject: str = "",
    text: str = "",
    html: str | None = None,
    recipient_name: str = "",
    reply_to: str = "",
    headers: dict[str, str] | None = None,
    attachments: Iterable[Attachment] = (),
    registration: Registration | None = None,
    event: Event | None = None,
    sent_by: Organiser | None = None,
    dedupe_key: str | None = None,
    has_manage_link: bool = False,
    held_back: bool = False,
    writing_context: dict | None = None,
    new_key: bool = False,
) -> OutboxMessage | None:
    """Add a message to the current transaction (no commit). It is sent after the commit.

    With a `writing_context` (a dict, maybe empty) the message is queued unwritten: the
    sender writes its subject and bodies from its kind and registration (`composer.py`).

    With a `dedupe_key` the message is queued only if no row ever had that key; then None
    is returned. Two transactions racing with one key end with one row: the loser's insert
    is undone in a savepoint and its transaction goes on. A `new_key` is one nobody can hold
    yet (it names a registration made in this transaction): neither looked up nor guarded. A message `held_back` is written
    failed and never tried (see `unasked.py`); `retry()` sends it.
    """
    recipient = one_line(recipient)
    if not recipient or "@" not in recipient:
        raise ValueError(f"not an email address: {recipient!r}")
    if dedupe_key is not None and not new_key and key_taken(dedupe_key):
        return None
    if registration is not None and registration.id is None:
        db.session.flush()  # the row must point at the registration: its link depends on it
    message = OutboxMessage(
        state=OutboxState.FAILED if held_back else OutboxState.PENDING,
        last_error=HELD_BACK if held_back else "",
        kind=kind,
        recipient=recipient,
        recipient_name=one_line(recipient_name, 200),
        subject=one_line(subject, 400),
        text_body=text,
        html_body=html,
        reply_to=one_line(reply_to),
        headers={one_line(k): one_line(v) for k, v in (headers or {}).items()},
        message_id=_message_id(),
        has_manage_link=has_manage_link,
        written=writing_context is None,
        writing_context=writing_context,
        dedupe_key=dedupe_key,
        attempts=0,
        next_attempt_at=now_utc(),
        registration_id=registration.id if registration is not None else None,
        event_id=event.id if event is not None else None,
        sent_by_id=sent_by.id if sent_by is not None else None,
        attachments=[
            OutboxAttachment(
                filename=a.filename,
                content_type=a.content_type,
                data=a.data,
                generated_by=a.generated_by,
            )
            for a in attachments
        ],
    )
    if dedupe_key is None or new_key:
        db.session.add(message)
        return message
    try:
        with db.session.begin_nested():
            db.session.add(message)
    except IntegrityError:
        # Another transaction queued the same key since we looked.
        if not key_taken(dedupe_key):
            raise
        return None
    return message


def keep_written(message: OutboxMessage, subject: str, text: str, html: str | None) -> None:
    """Store what an unwritten message says (no commit)."""
    message.subject = one_line(subject, 400)
    message.text_body = text
    message.html_body = html
    message.written = True
    message.writing_context = None


def key_taken(dedupe_key: str) -> bool:
    """Whether a row ever had this dedupe key."""
    query = sa.select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key)
    return db.session.scalar(query) is not None


def retry(message_id: int) -> OutboxMessage:
    """Put a failed message back in the queue with a fresh set of attempts (no commit).

    Raises DomainError for an unknown message or one that has not failed.
    """
    message = db.session.get(OutboxMessage, message_id, populate_existing=True)
    if message is None:
        raise DomainError(_("This message does not exist."))
    if message.state is not OutboxState.FAILED:
        raise DomainError(_("Only a message that failed can be sent again."))
    message.state = OutboxState.PENDING
    message.attempts = 0
    message.next_attempt_at = now_utc()
    message.claimed_by = None
    message.lease_expires_at = None
    return message


def failed(event_id: int | None = None) -> list[OutboxMessage]:
    """Messages that failed for good, newest first (for the back office's retry button)."""
    query = sa.select(OutboxMessage).where(OutboxMessage.state == OutboxState.FAILED)
    if event_id is not None:
        query = query.where(OutboxMessage.event_id == event_id)
    return list(db.session.scalars(query.order_by(OutboxMessage.updated_at.desc())))


# --- The sender's side ---------------------------------------------------------------------


def worker_name() -> str:
    """Who is claiming: host, process and a random part, so each claim is told apart."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


def _due_condition(now: datetime):
    return sa.or_(
        sa.and_(OutboxMessage.state == OutboxState.PENDING, OutboxMessage.next_attempt_at <= now),
        sa.and_(OutboxMessage.state == OutboxState.SENDING, OutboxMessage.lease_expires_at <= now),
    )


@dataclass(frozen=True)
class Claimed:
    """A claimed row as plain data, so that commits while sending reload nothing."""

    id: int
    claimed_by: str
    attempts: int
    lease_expires_at: datetime
    kind: str
    recipient: str
    recipient_name: str
    subject: str
    text_body: str
    html_body: str | None
    reply_to: str
    headers: dict[str, str]
    message_id: str
    has_manage_link: bool
    registration_id: int | None
    attachments: tuple[Attachment, ...]
    #: False until the subject and bodies are written (see `OutboxMessage.written`).
    written: bool = True
    writing_context: dict | None = None
    #: Written by this sender: what it says is kept on the row with the outcome.
    written_now: bool = False

    def written_values(self) -> dict:
        """The columns that keep what this sender wrote, for the row's next update."""
        if not self.written_now:
            return {}
        return {
            "subject": one_line(self.subject, 400),
            "text_body": self.text_body,
            "html_body": self.html_body,
            "written": True,
            "writing_context": None,
        }


def claim(limit: int, lease: timedelta, claimed_by: str | None = None) -> list[Claimed]:
    """Take up to `limit` due rows for this sender. COMMITS (first whatever was open, too).

    Due rows are pending ones whose time has come and "sending" ones whose lease expired
    (their sender died). Each claim counts as an attempt. Returns the claimed rows, oldest
    first.
    """
    claimed_by = claimed_by or worker_name()
    session = db.session
    _write_transaction()
    now = now_utc()
    candidates = (
        sa.select(OutboxMessage.id)
        .where(_due_condition(now))
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        # A materialised CTE runs once. As an IN (…) subquery the planner may rescan it for
        # every row (a nested-loop semi join), and each rescan passes over the rows this
        # statement already updated and picks new ones: more than `limit` would be claimed.
        due = candidates.with_for_update(skip_locked=True).cte("due").prefix_with("MATERIALIZED")
        chosen = OutboxMessage.id == due.c.id
    else:
        chosen = OutboxMessage.id.in_(candidates.scalar_subquery())
    # The due condition is repeated on the row itself: on SQLite this makes the UPDATE the
    # conditional claim; on PostgreSQL the locked rows are re-checked after the lock.
    lease_expires_at = now + lease
    statement = (
        sa.update(OutboxMessage)
        .where(chosen, _due_condition(now))
        .values(
            state=OutboxState.SENDING,
            claimed_by=claimed_by,
            lease_expires_at=lease_expires_at,
            attempts=OutboxMessage.attempts + 1,
            updated_at=now,
        )
        .returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)
    )
    ids = list(session.scalars(statement))
    session.commit()
    if not ids:
        return []
    rows = session.scalars(
        sa.select(OutboxMessage)
        .where(OutboxMessage.id.in_(ids), OutboxMessage.claimed_by == claimed_by)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .options(selectinload(OutboxMessage.attachments))
        .execution_options(populate_existing=True)
    ).all()
    claimed = [
        Claimed(
            id=row.id,
            claimed_by=claimed_by,
            attempts=row.attempts,
            lease_expires_at=lease_expires_at,
            kind=row.kind,
            recipient=row.recipient,
            recipient_name=row.recipient_name,
            subject=row.subject,
            text_body=row.text_body,
            html_body=row.html_body,
            reply_to=row.reply_to,
            headers=dict(row.headers or {}),
            message_id=row.message_id,
            has_manage_link=row.has_manage_link,
            registration_id=row.registration_id,
            attachments=tuple(
                Attachment(a.filename, a.content_type, a.data, a.generated_by)
                for a in row.attachments
            ),
            written=row.written,
            writing_context=dict(row.writing_context or {}),
        )
        for row in rows
    ]
    session.commit()
    return claimed


def _write_transaction():
    """End whatever transaction is open and start a write transaction.

    On SQLite a transaction that has read and then writes fails at once ("database is
    locked") if another process wrote in between; one that starts as a write waits its turn.
    """
    db.session.commit()
    begin_write(db.session)


def _finish(message: Claimed, **values) -> bool:
    """Update a row we hold the claim on and COMMIT; False if the claim was lost meanwhile."""
    _write_transaction()
    result = db.session.execute(
        sa.update(OutboxMessage)
        .where(
            OutboxMessage.id == message.id,
            OutboxMessage.state == OutboxState.SENDING,
            OutboxMessage.claimed_by == message.claimed_by,
        )
        .values(updated_at=now_utc(), **message.written_values(), **values)
        .execution_options(synchronize_session=False)
    )
    kept = result.rowcount == 1
    if kept and message.written_now:
        # What was written is kept whole: a retry sends the same message with its files.
        db.session.add_all(
            OutboxAttachment(
                message_id=message.id,
                filename=a.filename,
                content_type=a.content_type,
                data=a.data,
                generated_by=a.generated_by,
            )
            for a in message.attachments
        )
    db.session.commit()
    return kept


def drop(message: Claimed) -> bool:
    """Delete a claimed row that will never be sent (overtaken before it was written). COMMITS.

    Like the unsent mail of a sign-up removed as junk: a message nobody received leaves no row.
    """
    _write_transaction()
    result = db.session.execute(
        sa.delete(OutboxMessage)
        .where(
            OutboxMessage.id == message.id,
            OutboxMessage.state == OutboxState.SENDING,
            OutboxMessage.claimed_by == message.claimed_by,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount == 1


def mark_sent(message: Claimed) -> bool:
    """The server accepted it. COMMITS. False if another sender had taken it over."""
    return _finish(
        message,
        state=OutboxState.SENT,
        sent_at=now_utc(),
        lease_expires_at=None,
        last_error="",
    )


def mark_failed(message: Claimed, reason: str) -> bool:
    """A permanent failure: the row stays failed until an organiser retries it. COMMITS."""
    return _finish(
        message, state=OutboxState.FAILED, lease_expires_at=None, last_error=reason[:2000]
    )


def mark_temporary_failure(
    message: Claimed, reason: str, *, rng: random.Random | None = None
) -> OutboxState:
    """A temporary failure: back to pending after a backoff, or failed when out of attempts.

    COMMITS. Returns the state the row is left in.
    """
    config = current_app.config
    if message.attempts >= config["MAIL_MAX_ATTEMPTS"]:
        mark_failed(message, reason)
        return OutboxState.FAILED
    delay = backoff_delay(
        message.attempts,
        base=config["MAIL_RETRY_BASE_SECONDS"],
        cap=config["MAIL_RETRY_MAX_SECONDS"],
        rng=rng,
    )
    _finish(
        message,
        state=OutboxState.PENDING,
        next_attempt_at=now_utc() + delay,
        lease_expires_at=None,
        last_error=reason[:2000],
    )
    return OutboxState.PENDING


def release(
    messages: Sequence[Claimed], *, until: datetime | None = None, reason: str | None = None
) -> None:
    """Give claimed rows back untried (shutdown, the lease running short, the ceiling on
    participant mail). COMMITS.

    The attempt their claim counted is taken back; they are due at once, or at `until`,
    with `reason` kept as their last error for `flask mail status`.
    """
    later = {} if until is None else {"next_attempt_at": until}
    if reason is not None:
        later["last_error"] = reason
    _write_transaction()
    for message in messages:
        db.session.execute(
            sa.update(OutboxMessage)
            .where(
                OutboxMessage.id == message.id,
                OutboxMessage.state == OutboxState.SENDING,
                OutboxMessage.claimed_by == message.claimed_by,
            )
            .values(
                state=OutboxState.PENDING,
                attempts=message.attempts - 1,
                lease_expires_at=None,
                updated_at=now_utc(),
                **later,
            )
            .execution_options(synchronize_session=False)
        )
    db.session.commit()


def release_claim(claimed_by: str) -> int:
    """Give back untried every row one claim still holds; how many. COMMITS.

    For a sender that lost track of its claim: the database went away between the claim's
    commit and the reading of its rows. Matches nothing if the claim was never committed.
    """
    _write_transaction()
    released = db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.claimed_by == claimed_by, OutboxMessage.state == OutboxState.SENDING)
        .values(
            state=OutboxState.PENDING,
            attempts=OutboxMessage.attempts - 1,
            lease_expires_at=None,
            updated_at=now_utc(),
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return released


def backoff_delay(
    attempts: int, *, base: float, cap: float, rng: random.Random | None = None
) -> timedelta:
    """How long to wait after the `attempts`-th try failed: exponential, capped, jittered.

    The nominal delay doubles per attempt (base, 2·base, 4·base … up to cap); the actual one
    is drawn between half and all of it, so rows that failed together (a server outage) do
    not all come back in the same second.
    """
    nominal = min(cap, base * 2 ** max(attempts - 1, 0))
    return timedelta(seconds=(rng or random).uniform(nominal / 2, nominal))


def next_due_at() -> datetime | None:
    """When the next row becomes due (may be in the past), or None when nothing waits."""
    pending = db.session.scalar(
        sa.select(sa.func.min(OutboxMessage.next_attempt_at)).where(
            OutboxMessage.state == OutboxState.PENDING
        )
    )
    leased = db.session.scalar(
        sa.select(sa.func.min(OutboxMessage.lease_expires_at)).where(
            OutboxMessage.state == OutboxState.SENDING
        )
    )
    found = [moment for moment in (pending, leased) if moment is not None]
    return min(found) if found else None


@dataclass
class Status:
    counts: dict[OutboxState, int]
    oldest_pending: OutboxMessage | None


def status() -> Status:
    """Counts by state and the oldest pending row, for `flask mail status` and the back office."""
    rows = db.session.execute(
        sa.select(OutboxMessage.state, sa.func.count()).group_by(OutboxMessage.state)
    )
    counts = dict.fromkeys(OutboxState, 0)
    counts.update({state: count for state, count in rows})
    oldest = db.session.scalar(
        sa.select(OutboxMessage)
        .where(OutboxMessage.state == OutboxState.PENDING)
        .order_by(OutboxMessage.created_at, OutboxMessage.id)
        .limit(1)
    )
    return Status(counts=counts, oldest_pending=oldest)
