"""Flags on suspicious sign-ups, and removing junk: seats to the queue, no mail to the junk."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from registration.extensions import db
from registration.models import (
    AuditAction,
    AuditEntry,
    BlockedAddress,
    CancelReason,
    Event,
    Organiser,
    OutboxMessage,
    Registration,
    RegistrationStatus,
)
from registration.services import DomainError, blocklist, booking, junk, statistics
from registration.services.booking import SignUpDetails
from registration.services.junk import Flag
from registration.timeutil import frozen_time

from ..factories import make_organiser

START = datetime(2027, 9, 6, 15, 0, tzinfo=UTC)


@pytest.fixture
def make_event(make_event):
    """Events a week after the sign-ups of these tests."""

    def make(**fields):
        with frozen_time(START):
            return make_event(starts_at=START + timedelta(days=7), **fields)

    return make


@pytest.fixture
def organiser(app) -> Organiser:
    return make_organiser("ilze@partneriba.example")


def sign_up(event, email: str, *, network: str = "", minutes: int = 0) -> Registration:
    details = SignUpDetails(first_name="Anna", last_name="Liepa", email=email, network_hash=network)
    with frozen_time(START + timedelta(minutes=minutes)):
        return booking.sign_up(event.id, details).registration


def fresh(registration: Registration) -> Registration:
    db.session.expire_all()
    return db.session.get(Registration, registration.id)


def test_bursts_from_one_network_or_one_domain_are_flagged(make_event):
    event = make_event(capacity=None)
    burst = [sign_up(event, f"x{n}@junk.example", network="n1", minutes=n) for n in range(5)]
    slow = [sign_up(event, f"y{n}@example.lv", network="n2", minutes=20 * n) for n in range(5)]
    common = [sign_up(event, f"z{n}@gmail.com", network=f"m{n}", minutes=n) for n in range(5)]
    flags = junk.flags(event)
    for registration in burst:
        assert flags[registration.id] == {Flag.NETWORK_BURST, Flag.DOMAIN_BURST}
    for registration in slow + common:
        assert registration.id not in flags


def test_an_address_not_yet_confirmed_is_flagged(make_event):
    event = make_event(confirm_within_hours=24)
    held = sign_up(event, "anna@example.lv")
    assert junk.flags(event) == {held.id: {Flag.UNCONFIRMED}}


def test_removing_junk_promotes_the_queue_in_order_and_writes_to_nobody_removed(
    make_event, organiser
):
    event = make_event(capacity=3)
    junk_ones = [sign_up(event, f"junk{n}@junk.example", minutes=n) for n in range(2)]
    real = sign_up(event, "real@example.lv", minutes=2)
    first, second, third = (sign_up(event, f"wait{n}@example.lv", minutes=3 + n) for n in range(3))
    junk_waiting = sign_up(event, "junk9@junk.example", minutes=9)
    mail_before = {r.id: len(messages_to(r)) for r in [*junk_ones, junk_waiting]}
    assert all(mail_before.values())  # each had its confirmation queued (not sent yet)

    removed = junk.remove(
        event.id, [r.id for r in [*junk_ones, junk_waiting]], actor=organiser, block=True
    )

    assert (removed.registrations, removed.promoted, removed.blocked) == (3, 2, 3)
    for registration in [*junk_ones, junk_waiting]:
        registration = fresh(registration)
        assert registration.status is RegistrationStatus.CANCELLED
        assert registration.cancel_reason is CancelReason.JUNK
        assert messages_to(registration) == []  # unsent mail gone, nothing new
    assert [fresh(r).status for r in (real, first, second, third)] == [
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.WAITLISTED,
    ]
    assert [m.kind for m in messages_to(first)][-1] == "promoted"
    assert db.session.get(Event, event.id).confirmed_count == 3
    [entry] = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == AuditAction.JUNK_REMOVED)
    ).all()
    assert entry.organiser_id == organiser.id
    assert entry.details["count"] == 3
    assert sorted(entry.details["registrations"]) == sorted(
        r.id for r in [*junk_ones, junk_waiting]
    )
    assert blocklist.is_blocked("junk0@junk.example")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(BlockedAddress)) == 3
    # The funder's figures count nobody who never meant to come.
    figures = statistics.figures_by_event([event.id])[event.id]
    assert (figures.registrations, figures.confirmed, figures.cancelled) == (4, 3, 0)


def messages_to(registration: Registration) -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            sa.select(OutboxMessage)
            .where(OutboxMessage.registration_id == registration.id)
            .order_by(OutboxMessage.id)
        )
    )


def test_only_places_still_held_in_this_event_can_go(make_event, organiser):
    event, other = make_event(), make_event()
    elsewhere = sign_up(other, "a@example.lv")
    with pytest.raises(DomainError):
        junk.remove(event.id, [elsewhere.id], actor=organiser)
    assert fresh(elsewhere).status is RegistrationStatus.CONFIRMED
