"""Double opt-in: a place held until the address is confirmed, released when it is not."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from registration.extensions import db
from registration.models import (
    CancelReason,
    Event,
    OutboxMessage,
    Registration,
    RegistrationSource,
    RegistrationStatus,
)
from registration.services import booking, opt_in, participants, policy
from registration.services.booking import SignUpDetails
from registration.services.groups import CompanionDetails
from registration.timeutil import frozen_time

# Monday 6 September 2027, 09:00 in Riga; the event is a week later.
SIGNED_UP = datetime(2027, 9, 6, 6, 0, tzinfo=UTC)
EVENT_START = SIGNED_UP + timedelta(days=7)


@pytest.fixture
def event(make_event):
    with frozen_time(SIGNED_UP):
        return make_event(capacity=2, confirm_within_hours=24, starts_at=EVENT_START)


def sign_up(event, name: str, **fields) -> Registration:
    details = SignUpDetails(first_name=name, last_name="Liepa", email=f"{name.lower()}@example.lv")
    return booking.sign_up(event.id, details, **fields).registration


def fresh(registration: Registration) -> Registration:
    db.session.expire_all()
    return db.session.get(Registration, registration.id)


def kinds(registration: Registration) -> list[str]:
    return list(
        db.session.scalars(
            sa.select(OutboxMessage.kind)
            .where(OutboxMessage.registration_id == registration.id)
            .order_by(OutboxMessage.id)
        )
    )


def test_a_place_is_held_and_the_person_asked_to_confirm(event):
    with frozen_time(SIGNED_UP):
        anna = sign_up(event, "Anna")
    assert anna.status is RegistrationStatus.CONFIRMED
    assert anna.confirm_by == SIGNED_UP + timedelta(hours=24)
    assert anna.is_awaiting_confirmation
    assert kinds(anna) == ["confirm_request"]
    assert db.session.get(Event, event.id).confirmed_count == 1


def test_confirming_keeps_the_place_and_sends_the_confirmation(event):
    with frozen_time(SIGNED_UP):
        anna = sign_up(event, "Anna")
    with frozen_time(SIGNED_UP + timedelta(hours=23)):
        opt_in.confirm_address(anna.id)
        opt_in.confirm_address(anna.id)  # twice changes nothing
    anna = fresh(anna)
    assert not anna.is_awaiting_confirmation
    assert kinds(anna) == ["confirm_request", "confirmation"]
    with frozen_time(SIGNED_UP + timedelta(days=2)):
        sign_up(event, "Bruno")  # takes the lock: nothing to release
    assert fresh(anna).status is RegistrationStatus.CONFIRMED


def test_an_unconfirmed_hold_expires_and_the_next_person_waiting_gets_the_seat(event):
    with frozen_time(SIGNED_UP):
        anna = sign_up(event, "Anna")
        bruno = sign_up(event, "Bruno")
    with frozen_time(SIGNED_UP + timedelta(hours=1)):
        cilda = sign_up(event, "Cilda")  # waits first
        dace = sign_up(event, "Dace")
        opt_in.confirm_address(bruno.id)
        opt_in.confirm_address(cilda.id)
    assert fresh(cilda).status is RegistrationStatus.WAITLISTED

    # A day later nobody has touched the event: the next sign-up releases Anna's seat
    # under the lock before anything else, and Cilda, first in the queue, gets it.
    with frozen_time(SIGNED_UP + timedelta(hours=24, minutes=1)):
        eriks = sign_up(event, "Eriks")
    anna, cilda, dace = fresh(anna), fresh(cilda), fresh(dace)
    assert anna.status is RegistrationStatus.CANCELLED
    assert anna.cancel_reason is CancelReason.UNCONFIRMED
    assert cilda.status is RegistrationStatus.CONFIRMED
    assert dace.status is RegistrationStatus.WAITLISTED
    assert fresh(eriks).status is RegistrationStatus.WAITLISTED
    assert booking.waiting_position(dace) == 1
    assert db.session.get(Event, event.id).confirmed_count == 2
    # No mail to the address that never confirmed; the good news to Cilda.
    assert kinds(anna) == ["confirm_request"]
    assert kinds(cilda)[-1] == "promoted"


def test_the_worker_releases_holds_of_an_event_nobody_touches(event):
    with frozen_time(SIGNED_UP):
        anna = sign_up(event, "Anna")
    with frozen_time(SIGNED_UP + timedelta(hours=2)):
        assert opt_in.release_overdue() == 0
    with frozen_time(SIGNED_UP + timedelta(hours=25)):
        assert opt_in.release_overdue() == 1
    assert fresh(anna).status is RegistrationStatus.CANCELLED
    assert db.session.get(Event, event.id).confirmed_count == 0


def test_a_released_place_cannot_be_confirmed_afterwards(event):
    with frozen_time(SIGNED_UP):
        anna = sign_up(event, "Anna")
    with frozen_time(SIGNED_UP + timedelta(hours=25)):
        assert opt_in.confirm_address(anna.id) is False
    assert fresh(anna).status is RegistrationStatus.CANCELLED
    assert db.session.get(Event, event.id).confirmed_count == 0


def test_a_hold_never_outlasts_the_start(make_event):
    with frozen_time(SIGNED_UP):
        soon = make_event(confirm_within_hours=48, starts_at=SIGNED_UP + timedelta(hours=5))
        anna = sign_up(soon, "Anna")
    assert anna.confirm_by == SIGNED_UP + timedelta(hours=5)


def test_people_organisers_enter_are_not_asked(event):
    with frozen_time(SIGNED_UP):
        result = participants.add(
            event.id,
            SignUpDetails(first_name="Anna", last_name="Liepa", email="anna@example.lv"),
            actor=None,
        )
    assert result.registration.confirm_by is None
    assert result.registration.source is RegistrationSource.ORGANISER


def test_a_held_seat_has_no_join_link_nor_reminder(make_event):
    with frozen_time(SIGNED_UP):
        online = make_event(
            confirm_within_hours=24,
            is_online=True,
            online_url="https://meet.example/x",
            starts_at=EVENT_START,
        )
        anna = sign_up(online, "Anna")
    assert not policy.sees_join_link(anna)
    with frozen_time(SIGNED_UP + timedelta(hours=1)):
        opt_in.confirm_address(anna.id)
    assert policy.sees_join_link(fresh(anna))


def test_confirming_one_place_confirms_the_address_everywhere(make_event):
    with frozen_time(SIGNED_UP):
        first = make_event(confirm_within_hours=24, starts_at=EVENT_START)
        second = make_event(confirm_within_hours=24, starts_at=EVENT_START)
        here, there = sign_up(first, "Anna"), sign_up(second, "Anna")
        opt_in.confirm_address(here.id)
    assert not fresh(there).is_awaiting_confirmation
    assert kinds(there)[-1] == "confirmation"


def sign_up_with_companion(event) -> tuple[Registration, Registration]:
    details = SignUpDetails(
        first_name="Anna",
        last_name="Liepa",
        email="anna@example.lv",
        companions=(CompanionDetails("Pēteris", "Liepa", email="peteris@example.lv"),),
    )
    result = booking.sign_up(event.id, details)
    return result.registration, result.companions[0]


def test_a_companion_is_held_with_the_lead_and_confirmed_by_the_leads_click(make_event):
    with frozen_time(SIGNED_UP):
        event = make_event(
            capacity=4, confirm_within_hours=24, starts_at=EVENT_START, max_companions=2
        )
        anna, peteris = sign_up_with_companion(event)
    assert anna.is_awaiting_confirmation and peteris.is_awaiting_confirmation
    # One request, to the person who filled in the form; the companion hears nothing yet.
    assert kinds(anna) == ["confirm_request"]
    assert kinds(peteris) == []
    with frozen_time(SIGNED_UP + timedelta(hours=2)):
        assert opt_in.confirm_address(anna.id)
    anna, peteris = fresh(anna), fresh(peteris)
    assert not anna.is_awaiting_confirmation and not peteris.is_awaiting_confirmation
    assert kinds(peteris) == ["confirmation"]
    with frozen_time(SIGNED_UP + timedelta(days=2)):
        sign_up(event, "Bruno")  # takes the lock: nothing to release
    assert {fresh(anna).status, fresh(peteris).status} == {RegistrationStatus.CONFIRMED}


def test_an_unconfirmed_group_goes_back_whole(make_event):
    with frozen_time(SIGNED_UP):
        event = make_event(
            capacity=4, confirm_within_hours=24, starts_at=EVENT_START, max_companions=2
        )
        anna, peteris = sign_up_with_companion(event)
    with frozen_time(SIGNED_UP + timedelta(hours=25)):
        sign_up(event, "Bruno")
    for person in (fresh(anna), fresh(peteris)):
        assert person.status is RegistrationStatus.CANCELLED
        assert person.cancel_reason is CancelReason.UNCONFIRMED
    assert kinds(peteris) == []
    assert db.session.get(Event, event.id).confirmed_count == 1  # Bruno's seat alone


def test_a_person_whose_hold_ran_out_signs_up_anew(event):
    with frozen_time(SIGNED_UP):
        first = sign_up(event, "Anna")
    # A day and a bit later the place has gone back; nobody released it yet.
    with frozen_time(SIGNED_UP + timedelta(hours=25)):
        details = SignUpDetails(first_name="Anna", last_name="Liepa", email="anna@example.lv")
        result = booking.sign_up(event.id, details)
    assert result.outcome is booking.Outcome.CONFIRMED
    assert result.registration.id != first.id
    assert fresh(first).status is RegistrationStatus.CANCELLED
