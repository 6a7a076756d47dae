"""The booking rules: seats, the waiting list and cancellations.

Every function here is a unit of work (`unit_of_work()`): called on its own it is one
transaction, called from a larger use case (an organiser's action with its audit entry) it
joins that one. A seat may only be taken while the event's row is locked: `SELECT … FOR
UPDATE` on PostgreSQL, and on SQLite (where SQLAlchemy drops FOR UPDATE) a transaction opened
with `BEGIN IMMEDIATE`, which holds the database's write lock. Under that lock the rules read
the counters, decide and write; the `not_oversold` CHECK constraint on `event` refuses
anything that slips by.

The waiting list is first come, first served (`policy.WAITING_ORDER`); a person signing up
with companions is one entry, seated or waiting together (seats.py). Whenever seats free up
the first entries waiting that fit are promoted in the same transaction, and a new sign-up
gets seats only while nobody waits ahead of it.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from .. import signals
from ..extensions import db
from ..models import (
    CancelReason,
    Event,
    EventStatus,
    PickupStop,
    Registration,
    RegistrationSource,
    RegistrationStatus,
)
from ..timeutil import now_utc
from . import DomainError, answers, groups, holds, people, policy, seats, tokens, unit_of_work
from .answers import AnswerValue
from .groups import CompanionDetails
from .phone import normalise_phone
from .seats import lock_event, promote_waiting, waiting_position

#: Used by the rest of the app from here; they live in seats.py.
__all__ = ["lock_event", "promote_waiting", "waiting_position"]
from .policy import RegistrationState, registration_state


class EventNotFound(DomainError):
    """No event the public may sign up for has this id (unknown or draft)."""

    def __init__(self) -> None:
        super().__init__(_l("This event was not found."))


class RegistrationNotFound(DomainError):
    def __init__(self) -> None:
        super().__init__(_l("This registration was not found."))


class Outcome(enum.Enum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    #: The address already holds a place; the person is emailed their link instead.
    DUPLICATE = "duplicate"


@dataclass(frozen=True)
class SignUpDetails:
    first_name: str
    last_name: str
    email: str
    phone: str = ""
    place: str = ""
    place_other: str = ""
    organisation: str = ""
    pickup_stop_id: int | None = None
    needs: str = ""
    comment: str = ""
    photo_opt_out: bool = False
    wants_news: bool = False
    language: str = "lv"
    #: Version of the privacy notice agreed to; None for registrations entered by organisers.
    consent_notice_version: str | None = None
    #: Answers to the event's questions, by question id (see services/answers.py).
    answers: Mapping[int, AnswerValue] = field(default_factory=dict)
    #: People signed up together with this one (see services/groups.py).
    companions: tuple[CompanionDetails, ...] = ()
    #: Keyed hash of the network a sign-up on the site came from (see `signup_guard`).
    network_hash: str = ""


@dataclass(frozen=True)
class SignUpResult:
    outcome: Outcome
    registration: Registration
    #: Place on the waiting list (1 = next), for WAITLISTED.
    position: int | None = None
    #: For DUPLICATE: why a new sign-up would be refused now, if it would.
    refusal: str | None = None
    #: The companions' new registrations, in the order given.
    companions: tuple[Registration, ...] = ()
    #: For DUPLICATE on the site: what a new sign-up would have got (outcome, position),
    #: worked out under the lock, so the page needs no query after the commit.
    as_if_new: tuple[Outcome, int | None] | None = None

    @property
    def shown(self) -> tuple[Outcome, int | None]:
        """What the person is told: a repeated person hears what a new one would."""
        if self.outcome is Outcome.DUPLICATE and self.as_if_new is not None:
            return self.as_if_new
        return self.outcome, self.position


def hypothetical_outcome(event: Event, size: int = 1) -> tuple[Outcome, int | None]:
    """What a new sign-up of `size` people would get now. Shown for a repeated person, so
    that the page is the same whether or not they were registered (it reveals nothing)."""
    if seats.gets_seats_now(event, size):
        return Outcome.CONFIRMED, None
    return Outcome.WAITLISTED, seats.waiting_count(event.id) + 1


def _checked_pickup_stop(event: Event, stop_id: int | None) -> int | None:
    if stop_id is not None:
        stop = db.session.get(PickupStop, stop_id)
        if stop is None or stop.event_id != event.id:
            raise DomainError(_l("Please choose one of this trip's pickup stops."))
    return stop_id


def _checked_phone(event: Event, phone: str, *, by_organiser: bool) -> str:
    phone = normalise_phone(phone)
    if event.requires_phone and not phone and not by_organiser:
        raise DomainError(_l("This event needs a phone number."))
    return phone


def _check_details(event: Event, details: SignUpDetails, *, by_organiser: bool) -> str:
    """Rules a form cannot know by itself; returns the normalised phone number."""
    phone = _checked_phone(event, details.phone, by_organiser=by_organiser)
    _checked_pickup_stop(event, details.pickup_stop_id)
    if details.pickup_stop_id is None and event.is_trip and event.pickup_stops and not by_organiser:
        raise DomainError(_l("Please choose where you will get on the bus."))
    return phone


def _refusal(event: Event, *, by_organiser: bool):
    """Why the event takes no sign-up now, or None. Organisers may still add people outside
    the sign-up period and after the event (from the paper sign-in sheet), but not to a
    cancelled event."""
    state = registration_state(event)
    if by_organiser:
        return _REFUSALS[state] if state is RegistrationState.CANCELLED else None
    if state.takes_sign_ups:
        return None
    return _REFUSALS.get(state, _l("Registration is not possible."))


_REFUSALS = {
    RegistrationState.CANCELLED: _l("This event has been cancelled."),
    RegistrationState.PAST: _l("This event has already taken place."),
    RegistrationState.NOT_YET_OPEN: _l("Registration for this event has not opened yet."),
    RegistrationState.CLOSED: _l("Registration for this event has closed."),
    RegistrationState.FULL: _l("Sorry, this event is full."),
}


def _new_registration(
    event: Event, details: SignUpDetails, phone: str, source: RegistrationSource
) -> Registration:
    now = now_utc()
    registration = Registration(
        event=event,
        status=RegistrationStatus.WAITLISTED,
        first_name=details.first_name.strip(),
        last_name=details.last_name.strip(),
        name_key=people.name_key(details.first_name, details.last_name),
        email=details.email.strip(),
        email_key=people.email_key(details.email),
        phone=phone,
        place=details.place,
        place_other=details.place_other.strip() if details.place == "other" else "",
        organisation=details.organisation.strip(),
        pickup_stop_id=details.pickup_stop_id,
        needs=details.needs.strip(),
        comment=details.comment.strip(),
        photo_opt_out=details.photo_opt_out,
        wants_news=details.wants_news,
        language=details.language,
        source=source,
        consent_notice_version=details.consent_notice_version or "",
        consented_at=now if details.consent_notice_version else None,
        queued_at=now,
        confirm_by=holds.deadline(event, source, now),
        network_hash=details.network_hash,
    )
    tokens.assign_manage_token(registration)
    return registration


def _seat_or_queue(event: Event, group: list[Registration], *, override_capacity: bool) -> None:
    """Seats for the whole group while they fit and nobody waits ahead; else the queue,
    together; else refused."""
    if seats.gets_seats_now(event, len(group)):
        seats.confirm(event, group)
    elif override_capacity:
        # A seat beyond the queue (organisers add one person at a time): add one only when
        # none is free (a seat freed after the start, when nobody is promoted, is used).
        if not seats.free_seats(event):
            event.capacity = event.confirmed_count + 1
        seats.confirm(event, group)
    elif not event.has_waiting_list:
        free = seats.free_seats(event)
        if len(group) > 1 and free:
            raise DomainError(
                _l(
                    "Sorry, only %(free)s seats are left: not enough for %(size)s people.",
                    free=free,
                    size=len(group),
                )
            )
        raise DomainError(_l("Sorry, this event is full."))


def _save_group(event: Event, group: list[Registration], *, override_capacity: bool) -> None:
    """Under the event's lock: the group's place in the queue, its seats (or its wait), saved.

    The place in the queue is the moment of this decision, not of the preparation before the
    lock: the queue's order must be the order seats were given in."""
    queued_at = now_utc()
    for member in group:
        member.queued_at = queued_at
    lead = group[0]
    try:
        _seat_or_queue(event, group, override_capacity=override_capacity)
        for member in group[1:]:
            member.status = lead.status
            member.confirmed_at = lead.confirmed_at
        db.session.add_all(group)
        db.session.flush()
    except IntegrityError:
        # The database's own rules (one active registration per person, never oversold)
        # caught what slipped past; the unit of work saves nothing.
        raise DomainError(_l("Your registration could not be saved. Please try again.")) from None


def _duplicate(event: Event, existing: Registration, refusal, *, by_organiser: bool, size: int):
    if by_organiser:
        return SignUpResult(Outcome.DUPLICATE, existing, refusal=refusal)
    signals.registration_duplicate.send(existing)
    as_if_new = None if refusal else hypothetical_outcome(event, size)
    return SignUpResult(Outcome.DUPLICATE, existing, refusal=refusal, as_if_new=as_if_new)


def _new_group(
    event: Event, details: SignUpDetails, phone: str, source: RegistrationSource, by_organiser
) -> tuple[Registration, list[Registration]]:
    """The lead's registration and the new companions', answers checked and attached.

    A companion who already holds a place (same address and name) is not added again: they
    are emailed their link, as a repeated sign-up is."""
    lead_answers = answers.checked_answers(event, details.answers, by_organiser=by_organiser)
    lead = _new_registration(event, details, phone, source)
    answers.store(lead, answers.questions_for(event), lead_answers)
    group = [lead]
    for companion in details.companions:
        values = answers.checked_answers(event, companion.answers, companion=True)
        known = groups.already_registered(
            event.id,
            people.email_key(companion.email),
            people.name_key(companion.first_name, companion.last_name),
        )
        if known is not None:
            signals.registration_duplicate.send(known)
            continue
        group.append(groups.companion_registration(lead, companion, values))
    return lead, group


def sign_up(
    event_id: int,
    details: SignUpDetails,
    *,
    source: RegistrationSource = RegistrationSource.ONLINE,
    override_capacity: bool = False,
) -> SignUpResult:
    """Register a person, and their companions with them: seats while there are enough for
    all, else the waiting list together, else refused.

    Organisers (`source` other than ONLINE) may register outside the sign-up period, and with
    `override_capacity` they may give a seat to someone when the event is full; the capacity
    is then raised by one, so the counters stay true.

    A person who already holds a place (the same address and name) is emailed their link
    (`registration_duplicate`) and the result is DUPLICATE, with `refusal` set when a new
    sign-up would be refused: the page must say what a new person would hear, so that it
    reveals nothing.
    """
    by_organiser = source is not RegistrationSource.ONLINE
    with unit_of_work():
        # What does not decide the seat is done before the event is locked (on PostgreSQL
        # every other sign-up to it waits while it is): the checks, the answers, the new
        # rows. Under the lock: the state and the person already registered asked again, the
        # place in the queue, the seat, the writes.
        event = db.session.get(Event, event_id)
        if event is not None and event.confirm_within_hours is not None:
            # Holds that ran out are released under the lock first (`lock_event`), so that
            # a person whose hold lapsed signs up anew rather than being told they are in.
            event = seats.lock_event(event_id)
        if event is None or (event.status is EventStatus.DRAFT and not by_organiser):
            raise EventNotFound()
        email_key = people.email_key(details.email)
        if email_key is None and not by_organiser:
            raise DomainError(_l("Please enter your email address."))
        name_key = people.name_key(details.first_name, details.last_name)
        refusal = _refusal(event, by_organiser=by_organiser)
        existing = groups.already_registered(event.id, email_key, name_key)
        if existing is not None and not (by_organiser and refusal):
            size = 1 + len(details.companions)
            return _duplicate(event, existing, refusal, by_organiser=by_organiser, size=size)
        if refusal:
            raise DomainError(refusal)
        groups.check_group(event, details.email, name_key, details.companions)
        phone = _check_details(event, details, by_organiser=by_organiser)
        registration, group = _new_group(event, details, phone, source, by_organiser)
        event = seats.lock_event(event_id)
        if event is None:
            raise EventNotFound()
        refusal = _refusal(event, by_organiser=by_organiser)
        if refusal:
            raise DomainError(refusal)
        # Asked again under the lock: a double tap on a phone sends the form twice at once,
        # and the second should hear what a repeated person hears, not an error.
        existing = groups.already_registered(event.id, email_key, name_key)
        if existing is not None:
            size = 1 + len(details.companions)
            return _duplicate(event, existing, None, by_organiser=by_organiser, size=size)
        _save_group(event, group, override_capacity=override_capacity and by_organiser)
        for member in group:
            signals.registration_created.send(member)
        position = seats.waiting_position(registration)
    outcome = (
        Outcome.CONFIRMED
        if registration.status is RegistrationStatus.CONFIRMED
        else Outcome.WAITLISTED
    )
    return SignUpResult(outcome, registration, position, companions=tuple(group[1:]))


def locked_registration(registration_id: int) -> tuple[Registration, Event]:
    """Lock the registration's event, then read the registration fresh under that lock.
    Call inside `unit_of_work()`."""
    event_id = db.session.scalar(
        sa.select(Registration.event_id).where(Registration.id == registration_id)
    )
    if event_id is None:
        raise RegistrationNotFound()
    event = seats.lock_event(event_id)
    registration = db.session.scalar(
        sa.select(Registration)
        .where(Registration.id == registration_id)
        .execution_options(populate_existing=True)
    )
    return registration, event


def _cancel_locked(event: Event, registration: Registration, *, by_organiser: bool) -> None:
    if not policy.can_cancel(registration, by_organiser=by_organiser):
        raise DomainError(
            _l("The event has started, so the registration can no longer be cancelled here.")
        )
    if registration.status is RegistrationStatus.CONFIRMED:
        seats.adjust_confirmed(event, -1)
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = now_utc()
    registration.cancel_reason = CancelReason.ORGANISER if by_organiser else CancelReason.PERSON
    signals.registration_cancelled.send(registration, by_organiser=by_organiser)


def cancel(registration_id: int, *, by_organiser: bool = False) -> Registration:
    """Cancel a registration and give its seat to the first entry waiting that fits.

    People may cancel until the event starts; organisers at any time (`policy.can_cancel`).
    Cancelling a cancelled registration changes nothing. A lead's companions keep theirs.
    """
    with unit_of_work():
        registration, event = locked_registration(registration_id)
        if registration.status is RegistrationStatus.CANCELLED:
            return registration
        _cancel_locked(event, registration, by_organiser=by_organiser)
        seats.promote_waiting(event)
    return registration


def cancel_group(lead_id: int, companion_id: int | None = None) -> list[Registration]:
    """The lead cancels one companion (`companion_id`) or, without it, the whole group:
    themselves and every companion still registered. Their seats go to the queue at once."""
    with unit_of_work():
        lead, event = locked_registration(lead_id)
        members = [lead, *groups.companions_of(lead)]
        if companion_id is not None:
            members = [m for m in members[1:] if m.id == companion_id]
            if not members:
                raise RegistrationNotFound()
        cancelled = [m for m in members if m.status is not RegistrationStatus.CANCELLED]
        for member in cancelled:
            _cancel_locked(event, member, by_organiser=False)
        seats.promote_waiting(event)
    return cancelled


def set_capacity(event_id: int, capacity: int | None) -> list[Registration]:
    """Change the number of seats; more seats promote people from the waiting list at once."""
    with unit_of_work():
        event = seats.lock_event(event_id)
        if event is None:
            raise EventNotFound()
        if capacity is not None and capacity < 0:
            raise DomainError(_l("The number of seats cannot be negative."))
        if capacity is not None and capacity < event.confirmed_count:
            raise DomainError(
                _l(
                    "%(confirmed)s people are already confirmed, so there cannot be fewer "
                    "seats. Cancel registrations first if the room is smaller.",
                    confirmed=event.confirmed_count,
                )
            )
        event.capacity = capacity
        return seats.promote_waiting(event)


def confirm_from_waiting_list(
    registration_id: int, *, override_capacity: bool = False
) -> Registration:
    """An organiser gives a waiting person a seat, ahead of the queue if they choose to.

    Without a free seat this needs `override_capacity`, which adds the seat.
    """
    with unit_of_work():
        registration, event = locked_registration(registration_id)
        if registration.status is not RegistrationStatus.WAITLISTED:
            raise DomainError(_l("Only a registration on the waiting list can be confirmed."))
        if event.seats_left is not None and event.seats_left <= 0:
            if not override_capacity:
                raise DomainError(
                    _l("There is no free seat. Add a seat to confirm this person anyway.")
                )
            event.capacity = event.confirmed_count + 1
        seats.confirm(event, [registration])
        signals.registration_promoted.send(registration)
    return registration


#: Fields a person or an organiser may change after signing up.
EDITABLE_FIELDS = frozenset(
    {
        "first_name", "last_name", "phone", "place", "place_other", "organisation",
        "pickup_stop_id", "needs", "comment", "photo_opt_out", "wants_news", "organiser_note",
    }
)  # fmt: skip


def update_details(registration_id: int, *, by_organiser: bool = False, **fields) -> Registration:
    """Change a registration's details (not its seat); checks phone and pickup stop.

    People may do so until the event ends, organisers also afterwards
    (`policy.can_edit_details`).
    """
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    with unit_of_work():
        registration, event = locked_registration(registration_id)
        if not policy.can_edit_details(registration, by_organiser=by_organiser):
            if registration.status is RegistrationStatus.CANCELLED:
                raise DomainError(_l("A cancelled registration cannot be changed."))
            raise DomainError(
                _l("The event is over, so the registration can no longer be changed.")
            )
        if "phone" in fields:
            fields["phone"] = _checked_phone(event, fields["phone"], by_organiser=False)
        if "pickup_stop_id" in fields:
            _checked_pickup_stop(event, fields["pickup_stop_id"])
        for name, value in fields.items():
            setattr(registration, name, value.strip() if isinstance(value, str) else value)
    return registration


def update_answers(
    registration_id: int, values: Mapping[int, AnswerValue], *, by_organiser: bool = False
) -> bool:
    """Change the answers to the questions asked of this person; returns whether any changed.

    People may do so until the event starts (`policy.can_change_answers`); organisers while
    they may edit the registration.
    """
    with unit_of_work():
        registration, event = locked_registration(registration_id)
        allowed = (
            policy.can_edit_details(registration, by_organiser=True)
            if by_organiser
            else policy.can_change_answers(registration)
        )
        if not allowed:
            raise DomainError(_l("The answers can no longer be changed."))
        companion = registration.lead_id is not None
        checked = answers.checked_answers(
            event, values, companion=companion, by_organiser=by_organiser
        )
        return answers.store(
            registration, answers.questions_for(event, companion=companion), checked
        )
