"""Anonymising the registrations of events that ended more than RETENTION_MONTHS ago.

What goes: everything that names or reaches a person — first and last name, email (and its
look-up key, which becomes NULL), phone, organisation, needs, comment, the organiser's note,
the free-text place of residence typed under "other" — and the private manage link, which
stops working (its stored hash is replaced by a value no token can hash to). Every outbox row
of those events and their registrations is deleted (the bodies quote names, needs and
addresses), with the `.eml` copies the file fallback wrote; so are the sent and failed
messages of any event once they are older than the retention period.

What stays, so that the counts stay true: the event, each registration's status, attendance,
configured place of residence (the parish or town the funder's counts ask for), source,
pickup stop, language, consent version and its timestamps. Participants per event,
confirmed, attended and the counts by place are the same afterwards. Unique people, which
are told apart by email address, can no longer be counted for anonymised events.

Feedback given after the event stays in the results (counts, ratings, texts) but no longer
says whose it was: the response's link to the registration is emptied. A person's erasure on
request deletes their feedback altogether (`erasure.py`).

The audit log keeps only the registration's id, never its details (see
`models/audit.py`), so it needs no change: once the registration is anonymised, the entry
names nobody.

Running it again changes nothing that was already done (`anonymised_at` marks the rows).

Sooner than all that, the keyed hash of the network a sign-up came from (kept only so that
organisers see bursts of junk) is erased SIGNUP_SIGNALS_DAYS after the sign-up.
"""

from __future__ import annotations

import calendar
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from .. import signals
from ..extensions import db
from ..models import (
    Answer,
    Event,
    FeedbackAnswer,
    FeedbackResponse,
    OutboxAttachment,
    OutboxMessage,
    OutboxState,
    Registration,
)
from ..models.question import answer_choice
from ..services import after_commit, unit_of_work
from ..timeutil import now_utc

logger = logging.getLogger(__name__)

#: Start of the value that replaces an anonymised registration's manage-token hash. The real
#: hashes are 64 hex digits, so no token can ever match "anonymised:<id>".
ERASED_LINK_PREFIX = "anonymised:"

#: Rows deleted per statement (SQLite's limit on bound parameters is far above this).
_CHUNK = 500


@dataclass(frozen=True)
class Report:
    """What one run did (or, with `dry_run`, would do)."""

    #: Events that ended before this moment are past the retention period.
    cutoff: datetime
    #: Events whose registrations were anonymised in this run.
    events: int
    registrations: int
    #: Outbox rows deleted.
    messages: int
    dry_run: bool = False

    @property
    def changed_anything(self) -> bool:
        return bool(self.registrations or self.messages)


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time `months` calendar months earlier (31 March - 1 → 28/29 Feb)."""
    index = moment.year * 12 + (moment.month - 1) - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def retention_cutoff(now: datetime | None = None) -> datetime:
    """Events that ended before this moment are kept no longer: now − RETENTION_MONTHS."""
    return months_before(now or now_utc(), current_app.config["RETENTION_MONTHS"])


def _expired_events(cutoff: datetime):
    return sa.select(Event.id).where(Event.ends_at < cutoff)


def _due_registrations(cutoff: datetime):
    return sa.and_(
        Registration.event_id.in_(_expired_events(cutoff)),
        Registration.anonymised_at.is_(None),
    )


def _expired_messages(cutoff: datetime):
    expired = _expired_events(cutoff)
    return sa.or_(
        OutboxMessage.event_id.in_(expired),
        OutboxMessage.registration_id.in_(
            sa.select(Registration.id).where(Registration.event_id.in_(expired))
        ),
        # Messages of events still within the period (or of none) once they are old.
        sa.and_(OutboxMessage.state == OutboxState.SENT, OutboxMessage.sent_at < cutoff),
        sa.and_(OutboxMessage.state == OutboxState.FAILED, OutboxMessage.updated_at < cutoff),
    )


def _count(query) -> int:
    return int(db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0)


def erased_values(now: datetime) -> dict:
    """The column values of an anonymised registration."""
    return {
        "first_name": "",
        "last_name": "",
        "email": "",
        "email_key": None,
        "name_key": "",
        "phone": "",
        "organisation": "",
        "needs": "",
        "comment": "",
        "organiser_note": "",
        "place_other": "",
        "network_hash": "",
        "manage_nonce": "",
        "manage_token_hash": sa.literal(ERASED_LINK_PREFIX, sa.String)
        + sa.cast(Registration.id, sa.String),
        "anonymised_at": now,
    }


def anonymise_expired(now: datetime | None = None, *, dry_run: bool = False) -> Report:
    """Anonymise the registrations of events that ended more than RETENTION_MONTHS ago and
    delete the outbox rows that hold their data, in one unit of work. Returns the counts.

    With `dry_run` nothing changes: the counts say what a real run would do.
    """
    now = now or now_utc()
    cutoff = retention_cutoff(now)
    due = _due_registrations(cutoff)
    events_query = sa.select(Registration.event_id).where(due).distinct()
    if dry_run:
        return Report(
            cutoff=cutoff,
            events=_count(events_query),
            registrations=_count(sa.select(Registration.id).where(due)),
            messages=_count(sa.select(OutboxMessage.id).where(_expired_messages(cutoff))),
            dry_run=True,
        )

    with unit_of_work():
        events = _count(events_query)
        delete_answers(sa.select(Registration.id).where(due))
        detach_feedback(sa.select(Registration.id).where(due))
        registrations = db.session.execute(
            sa.update(Registration)
            .where(due)
            .values(**erased_values(now))
            .execution_options(synchronize_session=False)
        ).rowcount
        message_ids = list(
            db.session.scalars(sa.select(OutboxMessage.id).where(_expired_messages(cutoff)))
        )
        delete_messages(message_ids)
        _erase_network_hashes(now)
    # The statements went around the session: objects it holds must be read again.
    db.session.expire_all()
    report = Report(
        cutoff=cutoff, events=events, registrations=registrations, messages=len(message_ids)
    )
    if report.changed_anything:
        logger.info(
            "anonymised %s registrations of %s events that ended before %s; deleted %s messages",
            report.registrations,
            report.events,
            cutoff.isoformat(),
            report.messages,
        )
    return report


def _erase_network_hashes(now: datetime) -> None:
    """The network a sign-up came from is kept SIGNUP_SIGNALS_DAYS, for the junk flags."""
    days = current_app.config["SIGNUP_SIGNALS_DAYS"]
    db.session.execute(
        sa.update(Registration)
        .where(
            Registration.network_hash != "", Registration.created_at < now - timedelta(days=days)
        )
        .values(network_hash="")
        .execution_options(synchronize_session=False)
    )


def delete_answers(registration_ids) -> None:
    """Delete the answers of these registrations (a select of ids): free text and choices
    such as a diet are personal data too."""
    answer_ids = sa.select(Answer.id).where(Answer.registration_id.in_(registration_ids))
    db.session.execute(sa.delete(answer_choice).where(answer_choice.c.answer_id.in_(answer_ids)))
    db.session.execute(
        sa.delete(Answer)
        .where(Answer.registration_id.in_(registration_ids))
        .execution_options(synchronize_session=False)
    )


def detach_feedback(registration_ids) -> None:
    """Feedback given by these registrations stays in the results, but belongs to nobody
    from now on (the answers were anonymous to the organisers already, unless the form
    showed names)."""
    db.session.execute(
        sa.update(FeedbackResponse)
        .where(FeedbackResponse.registration_id.in_(registration_ids))
        .values(registration_id=None)
        .execution_options(synchronize_session=False)
    )


def delete_feedback(registration_ids) -> None:
    """Delete the feedback these registrations gave (a person's erasure on request)."""
    response_ids = sa.select(FeedbackResponse.id).where(
        FeedbackResponse.registration_id.in_(registration_ids)
    )
    db.session.execute(
        sa.delete(FeedbackAnswer)
        .where(FeedbackAnswer.response_id.in_(response_ids))
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        sa.delete(FeedbackResponse)
        .where(FeedbackResponse.registration_id.in_(registration_ids))
        .execution_options(synchronize_session=False)
    )


def delete_messages(ids: Iterable[int]) -> None:
    """Delete these outbox rows; once committed, copies written elsewhere go too (the
    `outbox_messages_deleted` signal). Call inside a unit of work."""
    ids = list(ids)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        # The foreign key cascades too; said here so that it never depends on it.
        db.session.execute(
            sa.delete(OutboxAttachment).where(OutboxAttachment.message_id.in_(chunk))
        )
        db.session.execute(
            sa.delete(OutboxMessage)
            .where(OutboxMessage.id.in_(chunk))
            .execution_options(synchronize_session=False)
        )
    if ids:
        app = current_app._get_current_object()
        after_commit(lambda: signals.outbox_messages_deleted.send(app, ids=ids))
