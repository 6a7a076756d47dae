"""Signing up with companions: seats for the whole group or none, one entry in the queue."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from registration import signals
from registration.extensions import db
from registration.models import Event, Registration, RegistrationStatus
from registration.services import DomainError, booking
from registration.services.booking import Outcome, SignUpDetails
from registration.services.groups import CompanionDetails, InvalidCompanion

CONFIRMED, WAITLISTED, CANCELLED = (
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITLISTED,
    RegistrationStatus.CANCELLED,
)


def person(name: str, companions: int | tuple = 0, **fields) -> SignUpDetails:
    """A person signing up; `companions` is a number of made-up ones or the companions."""
    if isinstance(companions, int):
        companions = tuple(
            CompanionDetails(first_name=f"{name} {n}", last_name="Kalniņš", place="Koknese")
            for n in range(1, companions + 1)
        )
    values = {
        "first_name": name,
        "last_name": "Kalniņš",
        "email": f"{name.lower()}@example.lv",
        "place": "Koknese",
        "consent_notice_version": "2026-11",
        "companions": companions,
    }
    values.update(fields)
    return SignUpDetails(**values)


def fresh(event: Event) -> Event:
    db.session.expire_all()
    return db.session.get(Event, event.id)


def status_by_name(event: Event) -> dict[str, RegistrationStatus]:
    db.session.expire_all()
    rows = db.session.scalars(sa.select(Registration).where(Registration.event_id == event.id))
    return {r.first_name: r.status for r in rows}


def test_a_group_that_fits_gets_its_seats_together(make_event):
    event = make_event(capacity=5)
    created = []
    with signals.registration_created.connected_to(lambda r: created.append(r.first_name)):
        result = booking.sign_up(
            event.id,
            person(
                "Anna",
                companions=(
                    CompanionDetails("Pēteris", "Kalniņš", "peteris@example.lv", "Koknese"),
                    CompanionDetails("Marta", "Kalniņa", "", "other", "Rīga"),
                ),
            ),
        )
    assert result.outcome is Outcome.CONFIRMED
    assert [c.first_name for c in result.companions] == ["Pēteris", "Marta"]
    assert {c.lead_id for c in result.companions} == {result.registration.id}
    assert status_by_name(event) == {"Anna": CONFIRMED, "Pēteris": CONFIRMED, "Marta": CONFIRMED}
    assert fresh(event).confirmed_count == 3
    # Each one is a registration of their own, each announced (a confirmation to each address).
    assert created == ["Anna", "Pēteris", "Marta"]
    marta = db.session.get(Registration, result.companions[1].id)
    assert marta.email_key is None and marta.residence == "Rīga"


def test_a_group_that_does_not_fit_waits_together_and_nobody_jumps_ahead(make_event):
    event = make_event(capacity=4)
    booking.sign_up(event.id, person("Ieva", companions=1))
    group = booking.sign_up(event.id, person("Juris", companions=2))
    assert group.outcome is Outcome.WAITLISTED and group.position == 1
    assert [booking.waiting_position(c) for c in group.companions] == [1, 1]
    # Two seats are free, but the group of three waits for three; a single person behind
    # them joins the queue instead of taking a seat ahead of them.
    single = booking.sign_up(event.id, person("Laura"))
    assert single.outcome is Outcome.WAITLISTED and single.position == 2
    assert fresh(event).seats_left == 2
    assert booking.hypothetical_outcome(fresh(event)) == (Outcome.WAITLISTED, 3)


def test_with_smaller_groups_allowed_free_seats_go_to_who_fits(make_event):
    event = make_event(capacity=4, fills_with_smaller_groups=True)
    booking.sign_up(event.id, person("Ieva", companions=1))
    assert booking.sign_up(event.id, person("Juris", companions=2)).outcome is Outcome.WAITLISTED
    single = booking.sign_up(event.id, person("Laura"))
    assert single.outcome is Outcome.CONFIRMED
    assert fresh(event).seats_left == 1


def test_freed_seats_go_to_the_first_entry_whole_then_to_the_next(make_event):
    event = make_event(capacity=3)
    first = booking.sign_up(event.id, person("Ieva", companions=2))
    booking.sign_up(event.id, person("Juris", companions=2))  # waits: 3 people
    booking.sign_up(event.id, person("Laura"))  # waits behind them
    booking.cancel(first.companions[0].id)
    # One seat free: the group of three does not fit, and Laura does not jump ahead.
    assert status_by_name(event)["Laura"] is WAITLISTED
    booking.cancel_group(first.registration.id)
    statuses = status_by_name(event)
    assert [statuses[n] for n in ("Juris", "Juris 1", "Juris 2", "Laura")] == [CONFIRMED] * 3 + [
        WAITLISTED
    ]
    assert fresh(event).confirmed_count == 3


def test_with_smaller_groups_allowed_the_single_behind_is_promoted_first(make_event):
    event = make_event(capacity=3, fills_with_smaller_groups=True)
    first = booking.sign_up(event.id, person("Ieva", companions=2))
    booking.sign_up(event.id, person("Juris", companions=2))
    booking.sign_up(event.id, person("Laura"))
    booking.cancel(first.companions[0].id)
    statuses = status_by_name(event)
    assert statuses["Laura"] is CONFIRMED and statuses["Juris"] is WAITLISTED
    assert fresh(event).confirmed_count == 3


def test_the_lead_cancels_one_companion_or_the_whole_group(make_event):
    event = make_event(capacity=10)
    group = booking.sign_up(event.id, person("Ieva", companions=3))
    one = group.companions[1]
    assert [r.id for r in booking.cancel_group(group.registration.id, one.id)] == [one.id]
    assert fresh(event).confirmed_count == 3
    cancelled = booking.cancel_group(group.registration.id)
    assert len(cancelled) == 3
    assert set(status_by_name(event).values()) == {CANCELLED}
    assert fresh(event).confirmed_count == 0
    other = booking.sign_up(event.id, person("Juris", companions=1))
    with pytest.raises(DomainError):
        booking.cancel_group(group.registration.id, other.companions[0].id)


@pytest.mark.parametrize(
    ("companions", "message"),
    [
        (
            [CompanionDetails("Pēteris", "Kalniņš", "anna@example.lv", "Koknese")],
            "grupā jau ir norādīta",
        ),
        (
            [
                CompanionDetails("Pēteris", "Kalniņš", "p@example.lv", "Koknese"),
                CompanionDetails("Marta", "Kalniņa", "P@Example.lv", "Koknese"),
            ],
            "grupā jau ir norādīta",
        ),
        ([CompanionDetails("ANNA", "Kalnins", "", "Koknese")], "jau ir grupā"),
        (
            [
                CompanionDetails("Pēteris", "Kalniņš", "", "Koknese"),
                CompanionDetails("Peteris", "Kalnins", "", "Koknese"),
            ],
            "jau ir grupā",
        ),
    ],
)
def test_the_same_address_or_person_twice_in_a_group_is_explained(make_event, companions, message):
    event = make_event()
    with pytest.raises(InvalidCompanion) as refused:
        booking.sign_up(event.id, person("Anna", companions=tuple(companions)))
    assert message in str(refused.value.message)
    assert status_by_name(event) == {}


def test_more_companions_than_the_event_allows_are_refused(make_event):
    event = make_event(max_companions=1)
    with pytest.raises(DomainError) as refused:
        booking.sign_up(event.id, person("Anna", companions=2))
    assert "ne vairāk kā 1" in str(refused.value.message)
    off = make_event(max_companions=0)
    with pytest.raises(DomainError):
        booking.sign_up(off.id, person("Anna", companions=1))
    assert status_by_name(event) == {} and status_by_name(off) == {}


def test_without_a_waiting_list_a_group_too_big_is_told_how_many_seats_are_left(make_event):
    event = make_event(capacity=2, has_waiting_list=False)
    with pytest.raises(DomainError) as refused:
        booking.sign_up(event.id, person("Anna", companions=2))
    assert "2" in str(refused.value.message) and "3" in str(refused.value.message)
    assert fresh(event).confirmed_count == 0


def test_a_companion_already_registered_is_sent_their_link_not_added_twice(make_event):
    event = make_event()
    alone = booking.sign_up(
        event.id, person("Pēteris", email="kopeja@example.lv", last_name="Kalniņš")
    )
    noticed = []
    with signals.registration_duplicate.connected_to(lambda r: noticed.append(r.id)):
        group = booking.sign_up(
            event.id,
            person(
                "Anna",
                companions=(
                    CompanionDetails("Pēteris", "Kalniņš", "kopeja@example.lv", "Koknese"),
                    CompanionDetails("Marta", "Kalniņa", "", "Koknese"),
                ),
            ),
        )
    assert noticed == [alone.registration.id]
    assert [c.first_name for c in group.companions] == ["Marta"]
    assert fresh(event).confirmed_count == 3
