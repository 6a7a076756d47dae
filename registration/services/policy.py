"""Who may do what, and when: each rule in one place.

The services enforce these (a refusal is a DomainError); templates, emails and calendar files
receive their answers as booleans and only decide what to show. A template may hide a
button; only a service may refuse.
"""

from __future__ import annotations

import enum

import sqlalchemy as sa
from flask_babel import gettext as _

from ..extensions import db
from ..models import Attendance, Event, EventStatus, FeedbackForm, Registration, RegistrationStatus
from ..timeutil import now_utc

#: The waiting list's order: first come, first served, ties broken by id.
WAITING_ORDER = (Registration.queued_at, Registration.id)


def ahead_in_queue(registration: Registration) -> sa.ColumnElement[bool]:
    """Registrations of the same event queued before `registration` (in WAITING_ORDER)."""
    return sa.or_(
        Registration.queued_at < registration.queued_at,
        sa.and_(
            Registration.queued_at == registration.queued_at,
            Registration.id < registration.id,
        ),
    )


def can_cancel(registration: Registration, *, by_organiser: bool = False) -> bool:
    """People may cancel until the event starts; organisers at any time."""
    if not registration.is_active:
        return False
    return by_organiser or registration.event.starts_at > now_utc()


def can_edit_details(registration: Registration, *, by_organiser: bool = False) -> bool:
    """People may change their details until the event ends; organisers also afterwards
    (from the paper sign-in sheet). Nobody edits a cancelled or anonymised registration."""
    if registration.status is RegistrationStatus.CANCELLED or registration.is_anonymised:
        return False
    return by_organiser or registration.event.ends_at > now_utc()


def can_change_answers(registration: Registration) -> bool:
    """People may change their answers to the event's questions until it starts (lunch is
    ordered, the bus is planned)."""
    if not registration.is_active or registration.is_anonymised:
        return False
    return registration.event.starts_at > now_utc()


def can_cancel_companions(lead: Registration) -> bool:
    """The person who signed a group up may cancel their companions while people may cancel."""
    return lead.lead_id is None and lead.event.starts_at > now_utc()


def calendar_sequence(registration: Registration) -> int:
    """SEQUENCE of the person's own calendar file: calendar apps apply a file only when its
    SEQUENCE is higher than that of the copy they hold, and all copies share the event's UID.

    A person's own cancellation does not change the event, so their file says CANCELLED one
    step above the event's SEQUENCE; signing up again after cancelling must rise above that,
    so each earlier cancellation of the same person (address and name) adds two.
    """
    earlier = 0
    if registration.email_key:
        earlier = (
            db.session.scalar(
                sa.select(sa.func.count()).where(
                    Registration.event_id == registration.event_id,
                    Registration.email_key == registration.email_key,
                    Registration.name_key == registration.name_key,
                    Registration.status == RegistrationStatus.CANCELLED,
                    Registration.id < registration.id,
                )
            )
            or 0
        )
    own = 1 if registration.status is RegistrationStatus.CANCELLED else 0
    return registration.event.sequence + 2 * earlier + own


def sees_join_link(registration: Registration) -> bool:
    """The join link of an online event is for people with a seat, while the event is on:
    never for the waiting list, a cancelled registration, a cancelled event, nor a seat held
    until the address is confirmed."""
    event = registration.event
    return (
        registration.status is RegistrationStatus.CONFIRMED
        and not registration.is_awaiting_confirmation
        and event.is_online
        and bool(event.online_url)
        and event.status is not EventStatus.CANCELLED
    )


def gets_participant_mail(event: Event) -> bool:
    """Participants hear about an event while it is public and not over: no mail for a draft,
    nor for organisers typing in the paper sign-in sheet afterwards."""
    return event.status is not EventStatus.DRAFT and event.ends_at > now_utc()


def certificate_refusal(registration: Registration) -> str | None:
    """Why the person has no attendance certificate, or None: it is for someone marked
    attended, whose data are still kept, once the event has ended."""
    if registration.is_anonymised:
        return _("The personal data of this registration are erased; there is no certificate.")
    if registration.attendance is not Attendance.ATTENDED:
        return _("A certificate is only for people marked as present at the event.")
    if registration.event.ends_at > now_utc():
        return _("The certificate can be had once the event has ended.")
    return None


def has_certificate(registration: Registration) -> bool:
    return certificate_refusal(registration) is None


def feedback_refusal(registration: Registration, form: FeedbackForm | None) -> str | None:
    """Why the person may not answer the event's feedback form now, or None: it is for
    those marked attended, after the event ends and until the form closes."""
    if form is None:
        return _("This event asks for no feedback.")
    if registration.is_anonymised or registration.attendance is not Attendance.ATTENDED:
        return _("The feedback form is for people who attended the event.")
    now = now_utc()
    if registration.event.ends_at > now:
        return _("The feedback form opens when the event has ended.")
    if form.closes_at <= now:
        return _("The feedback form is closed; answers are no longer taken.")
    return None


class RegistrationState(enum.Enum):
    """Whether and how an event takes sign-ups right now, as the public pages show it."""

    OPEN = "open"
    FEW_SEATS = "few"
    WAITING_LIST = "waiting"
    FULL = "full"
    NOT_YET_OPEN = "not_yet_open"
    CLOSED = "closed"
    CANCELLED = "cancelled"
    PAST = "past"

    @property
    def takes_sign_ups(self) -> bool:
        return self in (
            RegistrationState.OPEN,
            RegistrationState.FEW_SEATS,
            RegistrationState.WAITING_LIST,
        )


def few_seats_threshold(capacity: int) -> int:
    return max(3, capacity // 10)


def registration_state(event: Event) -> RegistrationState:
    now = now_utc()
    if event.status is EventStatus.CANCELLED:
        return RegistrationState.CANCELLED
    if event.ends_at <= now:
        return RegistrationState.PAST
    if event.registration_opens_at and now < event.registration_opens_at:
        return RegistrationState.NOT_YET_OPEN
    if now >= event.closes_at:
        return RegistrationState.CLOSED
    seats_left = event.seats_left
    if seats_left is None:
        return RegistrationState.OPEN
    if seats_left == 0:
        return RegistrationState.WAITING_LIST if event.has_waiting_list else RegistrationState.FULL
    if seats_left <= few_seats_threshold(event.capacity or 0):
        return RegistrationState.FEW_SEATS
    return RegistrationState.OPEN
