"""What organisers do with registrations: add, edit, cancel, seat from the waiting list, take
attendance. Seats change only through the booking rules, which join the organiser's unit of
work: the change, its emails and its audit entry are one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from flask_babel import gettext as _

from ..extensions import db
from ..models import (
    Attendance,
    AuditAction,
    Event,
    Organiser,
    Registration,
    RegistrationSource,
    RegistrationStatus,
)
from ..timeutil import now_utc
from . import DomainError, NotFound, answers, audit, booking, unit_of_work
from .booking import Outcome, SignUpDetails, SignUpResult
from .latvian import name_key
from .people import fold

#: Status filters of the participant table: name -> statuses.
STATUS_FILTERS: dict[str, tuple[RegistrationStatus, ...]] = {
    "active": (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED),
    "confirmed": (RegistrationStatus.CONFIRMED,),
    "waiting": (RegistrationStatus.WAITLISTED,),
    "cancelled": (RegistrationStatus.CANCELLED,),
    "all": tuple(RegistrationStatus),
}


def get_registration(registration_id: int) -> Registration | None:
    """The registration, or None when there is none with this id."""
    return db.session.get(Registration, registration_id)


def _existing(registration_id: int) -> Registration:
    registration = get_registration(registration_id)
    if registration is None:
        raise NotFound(_("This registration was not found."))
    return registration


def _matches(registration: Registration, words: list[str]) -> bool:
    haystack = fold(
        " ".join(
            (
                registration.first_name,
                registration.last_name,
                registration.email,
                registration.phone,
                registration.organisation,
            )
        )
    )
    return all(word in haystack for word in words)


def search(
    event: Event, query: str = "", status: str = "active", answer: str = ""
) -> list[Registration]:
    """The event's registrations in the status filter whose name, email, phone or
    organisation contain every word of `query` (diacritics ignored), in Latvian name order.
    `answer` keeps those who gave one answer (a choice, or a yes or no: see
    `answers.filter_options`); an unknown one filters nothing."""
    statuses = STATUS_FILTERS.get(status, STATUS_FILTERS["active"])
    select = sa.select(Registration).where(
        Registration.event_id == event.id, Registration.status.in_(statuses)
    )
    condition = answers.answer_condition(event, answer) if answer else None
    if condition is not None:
        select = select.where(condition)
    rows = db.session.scalars(select)
    words = fold(query).split()
    found = [r for r in rows if _matches(r, words)] if words else list(rows)
    return sorted(found, key=lambda r: name_key(r.last_name, r.first_name))


def holding_a_place(event: Event, registration_ids: Iterable[int]) -> list[Registration]:
    """Those of these registrations of the event that still hold a seat or a queue place."""
    ids = list(registration_ids)
    if not ids:
        return []
    rows = db.session.scalars(
        sa.select(Registration).where(
            Registration.id.in_(ids),
            Registration.event_id == event.id,
            Registration.status.in_(STATUS_FILTERS["active"]),
        )
    )
    return sorted(rows, key=lambda r: name_key(r.last_name, r.first_name))


def add(
    event_id: int,
    details: SignUpDetails,
    *,
    actor: Organiser | None,
    override_capacity: bool = False,
    source: RegistrationSource = RegistrationSource.ORGANISER,
    organiser_note: str = "",
) -> SignUpResult:
    """Register someone by hand (a phone call, a walk-in)."""
    with unit_of_work():
        result = booking.sign_up(
            event_id, details, source=source, override_capacity=override_capacity
        )
        if result.outcome is Outcome.DUPLICATE:
            return result
        registration = result.registration
        if organiser_note:
            registration.organiser_note = organiser_note
        audit.record(
            AuditAction.REGISTRATION_ADDED,
            actor,
            registration=registration,
            source=source.value,
            status=registration.status.value,
        )
    return result


def edit(registration_id: int, *, actor: Organiser | None, **fields) -> Registration:
    """Change details (never the seat); records which fields changed."""
    with unit_of_work():
        current = _existing(registration_id)
        changed = sorted(name for name, value in fields.items() if getattr(current, name) != value)
        if not changed:
            return current
        registration = booking.update_details(
            registration_id, by_organiser=True, **{name: fields[name] for name in changed}
        )
        audit.record(
            AuditAction.REGISTRATION_CHANGED, actor, registration=registration, fields=changed
        )
    return registration


def cancel(registration_id: int, *, actor: Organiser | None) -> Registration:
    """Cancel as an organiser; the first person waiting gets the seat."""
    with unit_of_work():
        _existing(registration_id)
        registration = booking.cancel(registration_id, by_organiser=True)
        audit.record(AuditAction.REGISTRATION_CANCELLED, actor, registration=registration)
    return registration


def confirm(
    registration_id: int, *, actor: Organiser | None, override_capacity: bool = False
) -> Registration:
    """Give a waiting person a seat; over capacity only when the organiser says so."""
    with unit_of_work():
        _existing(registration_id)
        registration = booking.confirm_from_waiting_list(
            registration_id, override_capacity=override_capacity
        )
        audit.record(
            AuditAction.REGISTRATION_CONFIRMED,
            actor,
            registration=registration,
            over_capacity=override_capacity,
        )
    return registration


def mark_attendance(
    registration_id: int, attendance: Attendance | None, *, actor: Organiser | None
) -> Registration:
    """Attended / did not attend / not marked, for a confirmed registration."""
    with unit_of_work():
        registration = db.session.get(Registration, registration_id, populate_existing=True)
        if registration is None:
            raise NotFound(_("This registration was not found."))
        if registration.status is not RegistrationStatus.CONFIRMED:
            raise DomainError(
                _("Only confirmed participants can be checked in. Give a seat first.")
            )
        if registration.attendance is attendance:
            return registration
        registration.attendance = attendance
        registration.checked_in_at = now_utc() if attendance is Attendance.ATTENDED else None
        audit.record(
            AuditAction.ATTENDANCE_MARKED,
            actor,
            registration=registration,
            attendance=attendance.value if attendance else None,
        )
    return registration


def seat_and_check_in(registration_id: int, *, actor: Organiser | None) -> Registration:
    """Someone from the waiting list came on the day: a seat (added if need be), attended."""
    with unit_of_work():
        confirm(registration_id, actor=actor, override_capacity=True)
        return mark_attendance(registration_id, Attendance.ATTENDED, actor=actor)


def add_walk_in(event_id: int, details: SignUpDetails, *, actor: Organiser | None) -> Registration:
    """Someone who came without signing up: a seat (added if need be), marked attended.

    If the address already holds a place, that registration is the one checked in.
    """
    with unit_of_work():
        result = add(
            event_id,
            details,
            actor=actor,
            override_capacity=True,
            source=RegistrationSource.WALK_IN,
        )
        registration = result.registration
        if registration.status is RegistrationStatus.WAITLISTED:
            registration = confirm(registration.id, actor=actor, override_capacity=True)
        return mark_attendance(registration.id, Attendance.ATTENDED, actor=actor)


def counts(registrations: Iterable[Registration]) -> dict[str, int]:
    """How many of each attendance mark, for the check-in page's header."""
    result = {"total": 0, "attended": 0, "absent": 0}
    for registration in registrations:
        result["total"] += 1
        if registration.attendance is Attendance.ATTENDED:
            result["attended"] += 1
        elif registration.attendance is Attendance.ABSENT:
            result["absent"] += 1
    return result
