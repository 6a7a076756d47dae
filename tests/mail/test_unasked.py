"""An address never confirmed hears at most once an hour (three times a day) because of the
sign-up form; beyond that the message is held back where organisers see it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from registration.mail import undelivered
from registration.mail.sender import send_pending
from registration.models import OutboxState
from registration.services import booking, opt_in, participants
from registration.services.booking import SignUpDetails
from registration.timeutil import frozen_time

from .helpers import rows

MONDAY = datetime(2027, 9, 6, 6, 0, tzinfo=UTC)


@pytest.fixture
def events(make_event):
    with frozen_time(MONDAY):
        return [make_event(starts_at=MONDAY + timedelta(days=7)) for _ in range(5)]


def sign_up(event, email="svesais@example.lv", at=MONDAY, **fields):
    details = SignUpDetails(first_name="Anna", last_name="Liepa", email=email, **fields)
    with frozen_time(at):
        return booking.sign_up(event.id, details)


def test_one_message_an_hour_the_rest_held_back_and_listed(app, smtp_server, events):
    for event in events[:3]:
        assert sign_up(event).outcome is booking.Outcome.CONFIRMED  # sign-ups still work
    first, second, third = rows()
    assert first.state is OutboxState.PENDING
    assert second.is_held_back and third.is_held_back
    with frozen_time(MONDAY):
        send_pending()
    assert [m["To"].addresses[0].addr_spec for m in smtp_server.messages()] == [
        "svesais@example.lv"
    ]
    # Organisers see both, with the reason, and may send one.
    listed = undelivered.failed_messages()
    assert {item.message.id for item in listed} == {second.id, third.id}
    with frozen_time(MONDAY + timedelta(minutes=1)):
        undelivered.retry(second.id, actor=None)
        send_pending()
    assert len(smtp_server.messages()) == 2


def test_the_next_hour_one_more_and_three_a_day(app, events):
    sign_up(events[0], at=MONDAY)
    sign_up(events[1], at=MONDAY + timedelta(minutes=59))
    sign_up(events[2], at=MONDAY + timedelta(hours=1))
    sign_up(events[3], at=MONDAY + timedelta(hours=2))
    sign_up(events[4], at=MONDAY + timedelta(hours=3))
    assert [r.state for r in rows()] == [
        OutboxState.PENDING,
        OutboxState.FAILED,
        OutboxState.PENDING,
        OutboxState.PENDING,
        OutboxState.FAILED,  # the day's three have gone
    ]


def test_repeated_sign_ups_are_counted_too(app, events):
    sign_up(events[0])
    sign_up(events[0])  # the same address again: its link, held back this hour
    assert [(r.kind, r.is_held_back) for r in rows()] == [
        ("confirmation", False),
        ("duplicate", True),
    ]


def test_a_confirmed_address_hears_everything_and_its_held_mail_goes(app, make_event, events):
    with frozen_time(MONDAY):
        asks = make_event(confirm_within_hours=24, starts_at=MONDAY + timedelta(days=7))
    held = sign_up(asks).registration  # the request to confirm: the hour's one message
    sign_up(events[0])  # held back
    with frozen_time(MONDAY + timedelta(minutes=5)):
        opt_in.confirm_address(held.id)
    sign_up(events[1], at=MONDAY + timedelta(minutes=6))
    kinds_and_states = [(r.kind, r.state) for r in rows()]
    assert kinds_and_states == [
        ("confirm_request", OutboxState.PENDING),
        ("confirmation", OutboxState.PENDING),  # released by the confirmation
        ("confirmation", OutboxState.PENDING),  # the confirmed seat's own
        ("confirmation", OutboxState.PENDING),  # a confirmed address is asked nothing
    ]


def test_what_organisers_do_is_not_counted(app, events):
    for event in events[:3]:
        participants.add(
            event.id,
            SignUpDetails(first_name="Anna", last_name="Liepa", email="svesais@example.lv"),
            actor=None,
        )
    assert [r.state for r in rows()] == [OutboxState.PENDING] * 3


@pytest.mark.parametrize(
    "app_config", [{"MAIL_UNCONFIRMED_PER_HOUR": None, "MAIL_UNCONFIRMED_PER_DAY": None}]
)
def test_the_rule_can_be_turned_off(app, events):
    for event in events[:3]:
        sign_up(event)
    assert [r.state for r in rows()] == [OutboxState.PENDING] * 3
