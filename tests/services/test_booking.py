"""The booking rules, called directly: no request, no HTTP."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from registration import signals
from registration.extensions import db
from registration.models import (
    Event,
    EventKind,
    EventStatus,
    Registration,
    RegistrationSource,
    RegistrationStatus,
)
from registration.services import DomainError, booking, tokens
from registration.services.booking import Outcome, SignUpDetails
from registration.services.policy import RegistrationState, registration_state
from registration.timeutil import frozen_time, now_utc


def details(n: int | str = 1, **fields) -> SignUpDetails:
    values = {
        "first_name": "Jānis",
        "last_name": f"Ozoliņš {n}",
        "email": f"janis{n}@example.lv",
        "place": "Skrīveru pagasts",
        "consent_notice_version": "2026-11",
    }
    values.update(fields)
    return SignUpDetails(**values)


def statuses(event: Event) -> list[RegistrationStatus]:
    query = (
        sa.select(Registration.status)
        .where(Registration.event_id == event.id)
        .order_by(Registration.id)
    )
    return list(db.session.scalars(query))


def fresh(event: Event) -> Event:
    db.session.expire_all()
    return db.session.get(Event, event.id)


def test_first_sign_ups_get_seats(make_event):
    event = make_event(capacity=2)
    first = booking.sign_up(event.id, details(1))
    assert first.outcome is Outcome.CONFIRMED
    assert first.registration.status is RegistrationStatus.CONFIRMED
    assert first.registration.consented_at is not None
    assert fresh(event).confirmed_count == 1


def test_when_full_people_join_the_waiting_list_in_order(make_event):
    event = make_event(capacity=2)
    results = [booking.sign_up(event.id, details(n)) for n in range(5)]
    assert [r.outcome for r in results] == [Outcome.CONFIRMED] * 2 + [Outcome.WAITLISTED] * 3
    assert [r.position for r in results[2:]] == [1, 2, 3]
    assert fresh(event).confirmed_count == 2


def test_full_without_waiting_list_is_refused_and_nothing_saved(make_event):
    event = make_event(capacity=1, has_waiting_list=False)
    booking.sign_up(event.id, details(1))
    with pytest.raises(DomainError) as refused:
        booking.sign_up(event.id, details(2))
    assert "aizņemtas" in str(refused.value.message)
    assert statuses(event) == [RegistrationStatus.CONFIRMED]


def test_unlimited_event_confirms_everyone(make_event):
    event = make_event(capacity=None)
    for n in range(30):
        assert booking.sign_up(event.id, details(n)).outcome is Outcome.CONFIRMED
    assert fresh(event).confirmed_count == 30


def test_cancelling_promotes_the_first_person_waiting(make_event):
    event = make_event(capacity=1)
    seat = booking.sign_up(event.id, details(1)).registration
    second = booking.sign_up(event.id, details(2)).registration
    third = booking.sign_up(event.id, details(3)).registration
    promoted = []
    with signals.registration_promoted.connected_to(lambda r: promoted.append(r.id)):
        booking.cancel(seat.id)
    assert promoted == [second.id]
    db.session.expire_all()
    assert db.session.get(Registration, second.id).status is RegistrationStatus.CONFIRMED
    third = db.session.get(Registration, third.id)
    assert booking.waiting_position(third) == 1
    assert fresh(event).confirmed_count == 1


def test_cancelling_a_waiting_registration_moves_the_queue_up(make_event):
    event = make_event(capacity=1)
    booking.sign_up(event.id, details(1))
    second = booking.sign_up(event.id, details(2)).registration
    third = booking.sign_up(event.id, details(3)).registration
    booking.cancel(second.id)
    assert booking.waiting_position(db.session.get(Registration, third.id)) == 1
    assert fresh(event).confirmed_count == 1


def test_cancelling_twice_is_harmless(make_event):
    event = make_event(capacity=3)
    registration = booking.sign_up(event.id, details(1)).registration
    booking.cancel(registration.id)
    booking.cancel(registration.id)
    assert fresh(event).confirmed_count == 0


def test_people_cannot_cancel_after_the_start_but_organisers_can(make_event):
    event = make_event(capacity=3)
    registration = booking.sign_up(event.id, details(1)).registration
    with frozen_time(event.starts_at + timedelta(minutes=1)):
        with pytest.raises(DomainError):
            booking.cancel(registration.id)
        booking.cancel(registration.id, by_organiser=True)
    assert db.session.get(Registration, registration.id).status is RegistrationStatus.CANCELLED


def test_nobody_jumps_the_queue_when_a_seat_frees_after_the_start(make_event):
    """After the start nobody is promoted; a seat freed then is not taken by a newcomer either
    (sign-up has closed by then)."""
    event = make_event(capacity=1)
    first = booking.sign_up(event.id, details(1)).registration
    waiting = booking.sign_up(event.id, details(2)).registration
    with frozen_time(event.starts_at + timedelta(minutes=5)):
        booking.cancel(first.id, by_organiser=True)
    assert db.session.get(Registration, waiting.id).status is RegistrationStatus.WAITLISTED


def test_new_sign_ups_wait_while_anyone_is_waiting(make_event):
    event = make_event(capacity=1)
    booking.sign_up(event.id, details(1))
    booking.sign_up(event.id, details(2))
    # Someone confirmed by hand past the queue leaves a waiting person; raising the capacity
    # by one promotes that person, not the newcomer.
    promoted = booking.set_capacity(event.id, 2)
    assert [r.email for r in promoted] == ["janis2@example.lv"]
    third = booking.sign_up(event.id, details(3))
    assert third.outcome is Outcome.WAITLISTED


def test_the_same_person_cannot_hold_two_places(make_event):
    event = make_event()
    first = booking.sign_up(event.id, details(1, email="Anna@Example.lv"))
    noticed = []
    with signals.registration_duplicate.connected_to(lambda r: noticed.append(r.id)):
        # The same address and the same name, typed without Latvian letters and in capitals.
        again = booking.sign_up(
            event.id,
            details(1, email=" anna@example.LV ", first_name="JANIS", last_name="ozolins  1"),
        )
    assert again.outcome is Outcome.DUPLICATE
    assert again.registration.id == first.registration.id
    assert noticed == [first.registration.id]
    assert len(statuses(event)) == 1


def test_members_of_a_household_share_an_address_and_each_hold_a_place(make_event):
    event = make_event()
    father = booking.sign_up(event.id, details(1, email="gimene@example.lv"))
    noticed = []
    with signals.registration_duplicate.connected_to(lambda r: noticed.append(r.id)):
        daughter = booking.sign_up(
            event.id, details(1, email="Gimene@example.lv", first_name="Līga")
        )
    assert daughter.outcome is Outcome.CONFIRMED
    assert daughter.registration.id != father.registration.id
    assert noticed == []
    assert statuses(event) == [RegistrationStatus.CONFIRMED] * 2


def test_a_repeated_address_at_a_full_event_hears_what_a_new_one_would(make_event):
    event = make_event(capacity=1, has_waiting_list=False)
    booking.sign_up(event.id, details(1))
    noticed = []
    with signals.registration_duplicate.connected_to(lambda r: noticed.append(r.id)):
        again = booking.sign_up(event.id, details(1))
    with pytest.raises(DomainError) as refused:
        booking.sign_up(event.id, details(2))
    # The page shows the repeated address the refusal a new one gets…
    assert again.outcome is Outcome.DUPLICATE
    assert again.refusal == refused.value.message
    assert "aizņemtas" in str(again.refusal)
    assert len(noticed) == 1  # …and the person still gets their link by email


def test_after_cancelling_the_same_address_may_sign_up_again(make_event):
    event = make_event()
    first = booking.sign_up(event.id, details(1))
    booking.cancel(first.registration.id)
    again = booking.sign_up(event.id, details(1))
    assert again.outcome is Outcome.CONFIRMED
    assert again.registration.id != first.registration.id


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"status": EventStatus.CANCELLED}, "atcelts"),
        ({"registration_closes_at": "past"}, "slēgta"),
        ({"registration_opens_at": "future"}, "nav sākusies"),
    ],
)
def test_sign_up_is_refused_outside_the_window(make_event, changes, message):
    event = make_event()
    for name, value in changes.items():
        if value == "past":
            value = now_utc() - timedelta(minutes=1)
        elif value == "future":
            value = now_utc() + timedelta(days=1)
        setattr(event, name, value)
    db.session.commit()
    with pytest.raises(DomainError) as refused:
        booking.sign_up(event.id, details(1))
    assert message in str(refused.value.message)
    assert statuses(event) == []


def test_drafts_and_unknown_events_are_not_found(make_event):
    draft = make_event(status=EventStatus.DRAFT)
    with pytest.raises(booking.EventNotFound):
        booking.sign_up(draft.id, details(1))
    with pytest.raises(booking.EventNotFound):
        booking.sign_up(999_999, details(1))


def test_organisers_may_add_people_after_sign_up_closed(make_event):
    event = make_event(registration_closes_at=now_utc() - timedelta(hours=1))
    result = booking.sign_up(event.id, details(1), source=RegistrationSource.ORGANISER)
    assert result.outcome is Outcome.CONFIRMED
    assert result.registration.source is RegistrationSource.ORGANISER


def test_organiser_override_adds_a_seat_instead_of_overselling(make_event):
    event = make_event(capacity=1)
    booking.sign_up(event.id, details(1))
    result = booking.sign_up(
        event.id, details(2), source=RegistrationSource.WALK_IN, override_capacity=True
    )
    assert result.outcome is Outcome.CONFIRMED
    event = fresh(event)
    assert (event.capacity, event.confirmed_count) == (2, 2)


def test_a_trip_needs_one_of_its_own_pickup_stops(make_event):
    trip = make_event(kind=EventKind.STUDY_TRIP, stops=[("Aizkraukle", 30)])
    other = make_event(kind=EventKind.STUDY_TRIP, stops=[("Koknese", 30)])
    with pytest.raises(DomainError):
        booking.sign_up(trip.id, details(1))
    with pytest.raises(DomainError):
        booking.sign_up(trip.id, details(1, pickup_stop_id=other.pickup_stops[0].id))
    ok = booking.sign_up(trip.id, details(1, pickup_stop_id=trip.pickup_stops[0].id))
    assert ok.registration.pickup_stop.place == "Aizkraukle"


def test_phone_is_normalised_and_required_where_the_event_says_so(make_event):
    event = make_event(requires_phone=True)
    with pytest.raises(DomainError):
        booking.sign_up(event.id, details(1))
    result = booking.sign_up(event.id, details(1, phone="26 123 456"))
    assert result.registration.phone == "+37126123456"


def test_capacity_cannot_drop_below_the_confirmed_count(make_event):
    event = make_event(capacity=3)
    for n in range(3):
        booking.sign_up(event.id, details(n))
    with pytest.raises(DomainError) as refused:
        booking.set_capacity(event.id, 2)
    assert "3" in str(refused.value.message)
    assert fresh(event).capacity == 3


def test_raising_capacity_promotes_in_order(make_event):
    event = make_event(capacity=1)
    for n in range(4):
        booking.sign_up(event.id, details(n))
    promoted = booking.set_capacity(event.id, 3)
    assert [r.email for r in promoted] == ["janis1@example.lv", "janis2@example.lv"]
    assert statuses(event).count(RegistrationStatus.WAITLISTED) == 1


def test_confirming_from_the_waiting_list_respects_capacity_unless_overridden(make_event):
    event = make_event(capacity=1)
    booking.sign_up(event.id, details(1))
    waiting = booking.sign_up(event.id, details(2)).registration
    with pytest.raises(DomainError):
        booking.confirm_from_waiting_list(waiting.id)
    booking.confirm_from_waiting_list(waiting.id, override_capacity=True)
    event = fresh(event)
    assert (event.capacity, event.confirmed_count) == (2, 2)


def test_update_details_checks_the_stop_and_keeps_the_seat(make_event):
    trip = make_event(kind=EventKind.STUDY_TRIP, stops=[("Aizkraukle", 30), ("Skrīveri", 15)])
    registration = booking.sign_up(
        trip.id, details(1, pickup_stop_id=trip.pickup_stops[0].id)
    ).registration
    booking.update_details(
        registration.id, pickup_stop_id=trip.pickup_stops[1].id, phone="+371 29 999 999"
    )
    registration = db.session.get(Registration, registration.id)
    assert registration.pickup_stop.place == "Skrīveri"
    assert registration.phone == "+37129999999"
    with pytest.raises(DomainError):
        booking.update_details(registration.id, phone="zvani man")
    with pytest.raises(ValueError):
        booking.update_details(registration.id, status=RegistrationStatus.CONFIRMED)


def test_signals_fire_inside_the_transaction(make_event):
    """A receiver's writes land with the registration: both or neither."""
    event = make_event(capacity=5)
    seen = []

    def receiver(registration):
        seen.append((registration.status, db.session().in_transaction()))

    with signals.registration_created.connected_to(receiver):
        booking.sign_up(event.id, details(1))
    assert seen == [(RegistrationStatus.CONFIRMED, True)]


def test_a_failing_receiver_leaves_nothing_half_written(make_event):
    event = make_event(capacity=5)

    def broken(registration):
        raise RuntimeError("mail queue unavailable")

    with signals.registration_created.connected_to(broken), pytest.raises(RuntimeError):
        booking.sign_up(event.id, details(1))
    assert statuses(event) == []
    assert fresh(event).confirmed_count == 0


def test_manage_token_is_long_random_and_stored_only_as_a_hash(make_event):
    event = make_event()
    registration = booking.sign_up(event.id, details(1)).registration
    token = tokens.manage_token(registration)
    assert len(token) >= 22  # 128 bits in URL-safe base64
    assert token not in registration.manage_token_hash
    assert tokens.find_by_token(token).id == registration.id
    assert tokens.find_by_token(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    other = booking.sign_up(event.id, details(2)).registration
    assert tokens.manage_token(other) != token


@pytest.mark.parametrize(
    ("capacity", "taken", "state"),
    [
        (20, 0, RegistrationState.OPEN),
        (20, 17, RegistrationState.FEW_SEATS),
        (20, 20, RegistrationState.WAITING_LIST),
        (None, 5, RegistrationState.OPEN),
    ],
)
def test_registration_state(make_event, capacity, taken, state):
    event = make_event(capacity=capacity, confirmed_count=taken)
    assert registration_state(event) is state


def test_registration_state_full_cancelled_closed_past(make_event):
    assert (
        registration_state(make_event(capacity=2, confirmed_count=2, has_waiting_list=False))
        is RegistrationState.FULL
    )
    assert (
        registration_state(make_event(status=EventStatus.CANCELLED)) is RegistrationState.CANCELLED
    )
    event = make_event()
    with frozen_time(event.starts_at):
        assert registration_state(event) is RegistrationState.CLOSED
    with frozen_time(event.ends_at):
        assert registration_state(event) is RegistrationState.PAST


def test_organisers_may_register_people_without_email(make_event):
    event = make_event(capacity=5)
    first = booking.sign_up(event.id, details(1, email=""), source=RegistrationSource.ORGANISER)
    second = booking.sign_up(event.id, details(2, email=" "), source=RegistrationSource.WALK_IN)
    assert first.outcome is second.outcome is Outcome.CONFIRMED
    assert first.registration.email_key is None
    assert fresh(event).confirmed_count == 2


def test_online_sign_up_needs_an_email_address(make_event):
    event = make_event()
    with pytest.raises(DomainError):
        booking.sign_up(event.id, details(1, email=""))
    assert statuses(event) == []


def test_organisers_may_add_people_from_the_paper_sheet_after_the_event(make_event):
    event = make_event(starts_at=now_utc() - timedelta(days=2))
    result = booking.sign_up(event.id, details(1), source=RegistrationSource.ORGANISER)
    assert result.outcome is Outcome.CONFIRMED
    with pytest.raises(DomainError):
        booking.sign_up(event.id, details(2))


def test_override_with_a_free_seat_never_shrinks_the_capacity(make_event):
    """On the day: a cancellation after the start promotes nobody; a walk-in takes that seat."""
    event = make_event(capacity=2)
    first = booking.sign_up(event.id, details(1)).registration
    booking.sign_up(event.id, details(2))
    booking.sign_up(event.id, details(3))  # waiting
    with frozen_time(event.starts_at + timedelta(minutes=10)):
        booking.cancel(first.id, by_organiser=True)
        booking.sign_up(
            event.id, details(4), source=RegistrationSource.WALK_IN, override_capacity=True
        )
    event = fresh(event)
    assert (event.capacity, event.confirmed_count) == (2, 2)
