"""Sign-ups nobody meant: what makes one look suspicious, and removing them as junk.

The flags are hints for the organisers on the participants page, never a refusal: a seminar
room on one Wi-Fi is a burst from one network too. They are worked out from what each
registration keeps anyway, plus a keyed hash of the network it came from (never the
address, and erased after `SIGNUP_SIGNALS_DAYS`, see `privacy/retention.py`).

Removing as junk cancels the registrations (`CancelReason.JUNK`) without a word to their
addresses (their unsent mail is deleted too), gives the freed seats to the people waiting in
order, and writes one audit entry; optionally their addresses go on the block list.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from ..extensions import db
from ..models import (
    AuditAction,
    CancelReason,
    Event,
    Organiser,
    OutboxMessage,
    OutboxState,
    Registration,
    RegistrationSource,
)
from ..models.registration import ACTIVE_STATUSES
from . import DomainError, audit, blocklist, booking, holds, unit_of_work

#: So many sign-ups to one event from one network (or one mail domain) within BURST_WINDOW
#: are flagged.
BURST_SIZE = 5
BURST_WINDOW = timedelta(minutes=10)


class Flag(enum.Enum):
    #: One of many sign-ups from one network within minutes.
    NETWORK_BURST = "network_burst"
    #: One of many addresses on one mail domain within minutes (common providers aside).
    DOMAIN_BURST = "domain_burst"
    #: The address has not been confirmed yet (double opt-in).
    UNCONFIRMED = "unconfirmed"


def _domain(registration: Registration) -> str:
    return (registration.email_key or "").rpartition("@")[2]


def _bursts(registrations: list[Registration], group: Callable[[Registration], str]) -> set[int]:
    """Ids of registrations that share a group with BURST_SIZE - 1 others within the window."""
    by_group: dict[str, list[Registration]] = defaultdict(list)
    for registration in registrations:
        if key := group(registration):
            by_group[key].append(registration)
    flagged: set[int] = set()
    for members in by_group.values():
        members.sort(key=lambda r: r.created_at)
        start = 0
        for end, last in enumerate(members):
            while last.created_at - members[start].created_at > BURST_WINDOW:
                start += 1
            if end - start + 1 >= BURST_SIZE:
                flagged.update(r.id for r in members[start : end + 1])
    return flagged


def flags(event: Event) -> dict[int, set[Flag]]:
    """The flags of the event's sign-ups made on the site, by registration id."""
    online = list(
        db.session.scalars(
            sa.select(Registration).where(
                Registration.event_id == event.id,
                Registration.source == RegistrationSource.ONLINE,
            )
        )
    )
    common = {d.lower() for d in current_app.config["COMMON_MAIL_DOMAINS"]}
    found: dict[int, set[Flag]] = defaultdict(set)
    for registration_id in _bursts(online, lambda r: r.network_hash):
        found[registration_id].add(Flag.NETWORK_BURST)

    def uncommon_domain(registration: Registration) -> str:
        domain = _domain(registration)
        return "" if domain in common else domain

    for registration_id in _bursts(online, uncommon_domain):
        found[registration_id].add(Flag.DOMAIN_BURST)
    for registration in online:
        if registration.is_awaiting_confirmation:
            found[registration.id].add(Flag.UNCONFIRMED)
    return dict(found)


@dataclass(frozen=True)
class Removed:
    registrations: int
    #: People who got a seat from the waiting list.
    promoted: int
    #: Addresses newly on the block list.
    blocked: int


def remove(
    event_id: int, registration_ids: Iterable[int], *, actor: Organiser | None, block: bool = False
) -> Removed:
    """Cancel these registrations of the event as junk: no mail to them, seats to the queue."""
    ids = sorted(set(registration_ids))
    with unit_of_work():
        event = booking.lock_event(event_id)
        if event is None:
            raise DomainError(_("This event was not found."))
        junk = list(
            db.session.scalars(
                sa.select(Registration)
                .where(
                    Registration.id.in_(ids),
                    Registration.event_id == event.id,
                    Registration.status.in_(ACTIVE_STATUSES),
                )
                .execution_options(populate_existing=True)
            )
        )
        if not junk:
            raise DomainError(_("Choose at least one registration that still holds a place."))
        _cancel_quietly(event, junk)
        promoted = booking.promote_waiting(event)
        blocked = (
            blocklist.add_many((r.email_key for r in junk), note=_("Removed as junk"), actor=actor)
            if block
            else 0
        )
        audit.record(
            AuditAction.JUNK_REMOVED,
            actor,
            event=event,
            count=len(junk),
            registrations=[r.id for r in junk],
            blocked=blocked,
        )
    return Removed(len(junk), len(promoted), blocked)


def _cancel_quietly(event: Event, junk: list[Registration]) -> None:
    """Cancelled without a word, and their mail not yet sent deleted."""
    holds.cancel_quietly(event, junk, CancelReason.JUNK)
    db.session.execute(
        sa.delete(OutboxMessage)
        .where(
            OutboxMessage.registration_id.in_([r.id for r in junk]),
            OutboxMessage.state.in_((OutboxState.PENDING, OutboxState.FAILED)),
        )
        .execution_options(synchronize_session=False)
    )
