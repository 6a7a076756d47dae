"""The booking rules: seats, the waiting list and cancellations.

Every function here is a unit of work (`unit_of_work()`): called on its own it is one
transaction, called from a larger use case (an organiser's action with its audit entry) it
joins that one. A seat may only be taken while the event's row is locked: `SELECT … FOR
UPDATE` on PostgreSQL, and on SQLite (where SQLAlchemy drops FOR UPDATE) a transaction opened
with `BEGIN IMMEDIATE`, which holds the database's write lock. Under that lock the rules read
the counters, decide and write; the `not_oversold` CHECK constraint on `event` refuses
anything that slips by.

The waiting list is first come, first served (`policy.WAITING_ORDER`). Whenever a seat
frees up the first person waiting is promoted in the same transaction, so while anyone waits
there is no free seat, and a new sign-up joins the end of the queue.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

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
from ..models.registration import ACTIVE_STATUSES
from ..timeutil import now_utc
from . import DomainError, holds, policy, tokens, unit_of_work
from .phone import normalise_phone
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
    #: Keyed hash of the network a sign-up on the site came from (see `signup_guard`).
    network_hash: str = ""


def email_key(address: str) -> str | None:
    """The address as registrations are told apart by it (trimmed, lower case); None when
    there is none."""
    return address.strip().lower() or None


@dataclass(frozen=True)
class SignUpResult:
    outcome: Outcome
    registration: Registration
    #: Place on the waiting list (1 = next), for WAITLISTED.
    position: int | None = None
    #: For DUPLICATE: why a new sign-up would be refused now, if it would.
    refusal: str | None = None
    #: For DUPLICATE on the site: what a new address would have got (outcome, position),
    #: worked out under the lock, so the page needs no query after the commit.
    as_if_new: tuple[Outcome, int | None] | None = None

    @property
    def shown(self) -> tuple[Outcome, int | None]:
        """What the person is told: a repeated address hears what a new one would."""
        if self.outcome is Outcome.DUPLICATE and self.as_if_new is not None:
            return self.as_if_new
        return self.outcome, self.position


#: An event's own columns: what `lock_event` reads again under the lock.
_EVENT_COLUMNS = tuple(column.key for column in sa.inspect(Event).column_attrs)


def lock_event(event_id: int) -> Event | None:
    """The event read fresh under its lock. Call inside `unit_of_work()`: on PostgreSQL this
    locks the row (FOR UPDATE); on SQLite the unit of work already holds the write lock.

    Only the columns are read again: what the caller loaded before (the programme and stops
    of the page it will show) stays loaded, so that page needs no query after the commit.
    Holds whose confirmation ran out are released first (see `holds.py`), so whatever
    follows sees the seats as they truly are.
    """
    event = db.session.get(Event, event_id)
    if event is None:
        return None
    db.session.refresh(event, attribute_names=_EVENT_COLUMNS, with_for_update=True)
    if event.confirm_within_hours is not None and holds.release_overdue(event):
        promote_waiting(event)
    return event


def _first_waiting(event_id: int, limit: int | None) -> list[Registration]:
    query = (
        sa.select(Registration)
        .where(
            Registration.event_id == event_id,
            Registration.status == RegistrationStatus.WAITLISTED,
        )
        .order_by(*policy.WAITING_ORDER)
        .execution_options(populate_existing=True)
    )
    if limit is not None:
        query = query.limit(limit)
    return list(db.session.scalars(query))


def _has_waiting(event_id: int) -> bool:
    query = sa.select(
        sa.exists().where(
            Registration.event_id == event_id,
            Registration.status == RegistrationStatus.WAITLISTED,
        )
    )
    return bool(db.session.scalar(query))


def _adjust_confirmed(event: Event, delta: int) -> None:
    """Change the seat counter in the database itself (`SET n = n + 1`), at once.

    Besides the lock, this makes the `not_oversold` CHECK a real backstop: two writers can
    never both add to the same old value.
    """
    event.confirmed_count = Event.confirmed_count + delta
    db.session.flush()


def _confirm(event: Event, registration: Registration) -> None:
    registration.status = RegistrationStatus.CONFIRMED
    registration.confirmed_at = now_utc()
    _adjust_confirmed(event, +1)


def promote_waiting(event: Event) -> list[Registration]:
    """Give free seats to the people first in the queue.

    For callers inside a unit of work that hold the event's lock (the functions here, and an
    organiser's event edit that changes the capacity with the rest).
    """
    if event.status is not EventStatus.PUBLISHED or event.starts_at <= now_utc():
        return []
    free = None if event.capacity is None else event.capacity - event.confirmed_count
    if free is not None and free <= 0:
        return []
    promoted = _first_waiting(event.id, free)
    for registration in promoted:
        _confirm(event, registration)
        signals.registration_promoted.send(registration)
    return promoted


def waiting_position(registration: Registration) -> int | None:
    """1 for the next person to get a seat; None when not on the waiting list."""
    if registration.status is not RegistrationStatus.WAITLISTED:
        return None
    ahead = sa.select(sa.func.count()).where(
        Registration.event_id == registration.event_id,
        Registration.status == RegistrationStatus.WAITLISTED,
        policy.ahead_in_queue(registration),
    )
    return int(db.session.scalar(ahead) or 0) + 1


def hypothetical_outcome(event: Event) -> tuple[Outcome, int | None]:
    """What a new sign-up would get now. Shown for a repeated address, so that the page is
    the same whether or not the address was registered (it reveals nothing)."""
    if event.seats_left is None or event.seats_left > 0:
        return Outcome.CONFIRMED, None
    waiting = db.session.scalar(
        sa.select(sa.func.count()).where(
            Registration.event_id == event.id,
            Registration.status == RegistrationStatus.WAITLISTED,
        )
    )
    return Outcome.WAITLISTED, int(waiting or 0) + 1


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


def _active_registration(event_id: int, email_key: str | None) -> Registration | None:
    if email_key is None:
        return None
    return db.session.scalar(
        sa.select(Registration).where(
            Registration.event_id == event_id,
            Registration.email_key == email_key,
            Registration.status.in_(ACTIVE_STATUSES),
        )
    )


def _new_registration(
    event: Event, details: SignUpDetails, phone: str, source: RegistrationSource
) -> Registration:
    now = now_utc()
    registration = Registration(
        event=event,
        status=RegistrationStatus.WAITLISTED,
        first_name=details.first_name.strip(),
        last_name=details.last_name.strip(),
        email=details.email.strip(),
        email_key=email_key(details.email),
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


def _seat_or_queue(event: Event, registration: Registration, *, override_capacity: bool) -> None:
    """A seat while one is free and nobody waits; else the queue; else refused."""
    seat_free = event.seats_left is None or event.seats_left > 0
    if seat_free and not _has_waiting(event.id):
        _confirm(event, registration)
    elif override_capacity:
        # A seat beyond the queue: add one only when none is free (a seat freed after the
        # start, when nobody is promoted any more, is simply used).
        if not seat_free:
            event.capacity = event.confirmed_count + 1
        _confirm(event, registration)
    elif not event.has_waiting_list:
        raise DomainError(_l("Sorry, this event is full."))


def sign_up(
    event_id: int,
    details: SignUpDetails,
    *,
    source: RegistrationSource = RegistrationSource.ONLINE,
    override_capacity: bool = False,
) -> SignUpResult:
    """Register a person: a seat while there is one, else the waiting list, else refused.

    Organisers (`source` other than ONLINE) may register outside the sign-up period, and with
    `override_capacity` they may give a seat to someone when the event is full; the capacity
    is then raised by one, so the counters stay true.

    An address that already holds a place is emailed its link (`registration_duplicate`)
    and the result is DUPLICATE, with `refusal` set when a new sign-up would be refused: the
    page must say what a new address would hear, so that it reveals nothing.
    """
    by_organiser = source is not RegistrationSource.ONLINE
    with unit_of_work():
        event = lock_event(event_id)
        if event is None or (event.status is EventStatus.DRAFT and not by_organiser):
            raise EventNotFound()
        key = email_key(details.email)
        if key is None and not by_organiser:
            raise DomainError(_l("Please enter your email address."))
        refusal = _refusal(event, by_organiser=by_organiser)
        existing = _active_registration(event.id, key)
        if existing is not None and not (by_organiser and refusal):
            if by_organiser:
                return SignUpResult(Outcome.DUPLICATE, existing, refusal=refusal)
            signals.registration_duplicate.send(existing)
            as_if_new = None if refusal else hypothetical_outcome(event)
            return SignUpResult(Outcome.DUPLICATE, existing, refusal=refusal, as_if_new=as_if_new)
        if refusal:
            raise DomainError(refusal)
        phone = _check_details(event, details, by_organiser=by_organiser)
        registration = _new_registration(event, details, phone, source)
        try:
            _seat_or_queue(
                event, registration, override_capacity=override_capacity and by_organiser
            )
            db.session.add(registration)
            db.session.flush()
        except IntegrityError:
            # The database's own rules (one active registration per address, never
            # oversold) caught what slipped past; the unit of work saves nothing.
            raise DomainError(
                _l("Your registration could not be saved. Please try again.")
            ) from None
        signals.registration_created.send(registration)
        position = waiting_position(registration)
    if registration.status is RegistrationStatus.CONFIRMED:
        return SignUpResult(Outcome.CONFIRMED, registration)
    return SignUpResult(Outcome.WAITLISTED, registration, position)


def locked_registration(registration_id: int) -> tuple[Registration, Event]:
    """Lock the registration's event, then read the registration fresh under that lock.
    Call inside `unit_of_work()`."""
    event_id = db.session.scalar(
        sa.select(Registration.event_id).where(Registration.id == registration_id)
    )
    if event_id is None:
        raise RegistrationNotFound()
    event = lock_event(event_id)
    registration = db.session.scalar(
        sa.select(Registration)
        .where(Registration.id == registration_id)
        .execution_options(populate_existing=True)
    )
    return registration, event


def cancel(registration_id: int, *, by_organiser: bool = False) -> Registration:
    """Cancel a registration and give its seat to the first person waiting.

    People may cancel until the event starts; organisers at any time (`policy.can_cancel`).
    Cancelling a cancelled registration changes nothing.
    """
    with unit_of_work():
        registration, event = locked_registration(registration_id)
        if registration.status is RegistrationStatus.CANCELLED:
            return registration
        if not policy.can_cancel(registration, by_organiser=by_organiser):
            raise DomainError(
                _l("The event has started, so the registration can no longer be cancelled here.")
            )
        if registration.status is RegistrationStatus.CONFIRMED:
            _adjust_confirmed(event, -1)
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = now_utc()
        registration.cancel_reason = CancelReason.ORGANISER if by_organiser else CancelReason.PERSON
        signals.registration_cancelled.send(registration, by_organiser=by_organiser)
        promote_waiting(event)
    return registration


def set_capacity(event_id: int, capacity: int | None) -> list[Registration]:
    """Change the number of seats; more seats promote people from the waiting list at once."""
    with unit_of_work():
        event = lock_event(event_id)
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
        return promote_waiting(event)


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
        _confirm(event, registration)
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
