"""Organisers' work on events: create, edit, publish, withdraw, cancel and duplicate.

Every writing function is one unit of work: it validates everything first, under the lock,
and changes nothing when a rule says no, so a form is never half-saved. Field-level problems
come back as `InvalidEvent.errors` (field name -> translated sentence, see
`event_details.py`) for the screen to show next to the fields. An unknown event is
`NotFound`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from ..extensions import db
from ..models import (
    AuditAction,
    Event,
    EventStatus,
    Organiser,
    PickupStop,
    ProgrammeItem,
    Registration,
)
from ..models.registration import ACTIVE_STATUSES
from ..signals import event_cancelled, event_changed
from ..timeutil import RIGA, now_utc, to_riga
from . import DomainError, NotFound, audit, booking, questions, unit_of_work
from .event_details import (
    SCALAR_FIELDS,
    EventDetails,
    InvalidEvent,
    ProgrammeDetails,
    StaleForm,
    StopDetails,
    check,
    details_of,
    raise_if_invalid,
    unique_slug,
)

#: Changes to these fields are worth telling participants about (updated calendar entry).
NOTIFIABLE_FIELDS = frozenset(
    {
        "starts_at",
        "ends_at",
        "venue_name",
        "venue_address",
        "place",
        "is_online",
        "online_url",
        "pickup_stops",
    }
)


@dataclass
class EventUpdate:
    """What an edit did."""

    changed: set[str]
    #: People who got a seat because the capacity went up.
    promoted: int = 0
    #: Participants were told about a change of time or place.
    notified: bool = False


# -- reading ---------------------------------------------------------------------------------


def get_event(event_id: int) -> Event | None:
    """The event, or None when there is none with this id."""
    return db.session.get(Event, event_id)


def _event_not_found() -> NotFound:
    return NotFound(_("This event was not found."))


def _locked_event(event_id: int) -> Event:
    """The event read fresh under a lock: its row on PostgreSQL (so a sign-up waits for the
    change), the write transaction itself on SQLite. Call inside `unit_of_work()`."""
    event = db.session.scalar(
        sa.select(Event)
        .where(Event.id == event_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if event is None:
        raise _event_not_found()
    return event


def active_count(event_id: int) -> int:
    query = sa.select(sa.func.count()).where(
        Registration.event_id == event_id, Registration.status.in_(ACTIVE_STATUSES)
    )
    return db.session.scalar(query) or 0


# -- writing ---------------------------------------------------------------------------------


def create_event(details: EventDetails, *, actor: Organiser | None) -> Event:
    """A new draft event with its stops and programme."""
    with unit_of_work():
        raise_if_invalid(details)
        event = Event(status=EventStatus.DRAFT, confirmed_count=0, sequence=0)
        _fill(event, details)
        event.slug = details.slug or unique_slug(details.title)
        event.pickup_stops = [
            PickupStop(position=n, place=s.place, departs_at=s.departs_at, note=s.note)
            for n, s in enumerate(details.pickup_stops, start=1)
        ]
        event.programme = _programme_items(details.programme)
        db.session.add(event)
        audit.record(AuditAction.EVENT_CREATED, actor, event=event)
    return event


def _fill(event: Event, details: EventDetails) -> None:
    """A new event's plain columns from `details`."""
    for name in SCALAR_FIELDS:
        value = getattr(details, name)
        # An explicit NULL: for a new row the ORM puts a column's default in place of None,
        # and "no reminder" would become a reminder 24 hours ahead.
        setattr(event, name, sa.null() if value is None else value)


def _programme_items(items: list[ProgrammeDetails]) -> list[ProgrammeItem]:
    return [
        ProgrammeItem(position=n, starts_at=p.starts_at, place=p.place, description=p.description)
        for n, p in enumerate(items, start=1)
    ]


def update_event(
    event_id: int, details: EventDetails, *, actor: Organiser | None, notify: bool = False
) -> EventUpdate:
    """Save the edit form, all of it or (when anything fails) nothing.

    A higher capacity gives waiting people seats at once, in the same transaction and under
    the same lock as the booking rules. With `notify`, a change of time or place of a
    published event is announced to the participants (the `event_changed` signal, also in
    the same transaction).
    """
    with unit_of_work():
        event = _locked_event(event_id)
        raise_if_invalid(details, event)
        stop_plan = _plan_stops(event, details.pickup_stops)

        changed = {name for name in SCALAR_FIELDS if getattr(event, name) != getattr(details, name)}
        promoted = 0
        for name in SCALAR_FIELDS:
            setattr(event, name, getattr(details, name))
        if changed & {"capacity", "fills_with_smaller_groups"}:
            # The event is locked and check() has compared the capacity with the fresh count
            # of confirmed seats; the booking rules give the new seats (or, once smaller
            # groups may fill them, the seats a larger group could not take) to the queue,
            # here in this transaction, so the whole edit is saved or none of it.
            promoted = len(booking.promote_waiting(event))
        new_slug = details.slug or event.slug
        if new_slug != event.slug:
            event.slug = new_slug
            changed.add("slug")
        if _apply_stops(event, stop_plan):
            changed.add("pickup_stops")
        if _programme_differs(event, details.programme):
            event.programme = _programme_items(details.programme)
            changed.add("programme")

        notified = False
        if changed:
            audit.record(AuditAction.EVENT_CHANGED, actor, event=event, fields=sorted(changed))
            announce = changed & NOTIFIABLE_FIELDS
            if notify and announce and event.is_published:
                event_changed.send(event, changes=set(announce))
                notified = True
    return EventUpdate(changed=changed, promoted=promoted, notified=notified)


def _plan_stops(
    event: Event, rows: list[StopDetails]
) -> list[tuple[PickupStop | None, StopDetails]]:
    """Match form rows to the event's stops; refuse foreign ids and removing used stops."""
    existing = {stop.id: stop for stop in event.pickup_stops}
    plan = []
    for row in rows:
        if row.id is None:
            plan.append((None, row))
        elif row.id in existing:
            plan.append((existing.pop(row.id), row))
        else:
            raise StaleForm(
                _(
                    "The form refers to a pickup stop that is not part of this event. Open the "
                    "event again and repeat the change."
                )
            )
    for removed in existing.values():
        riders = db.session.scalar(
            sa.select(sa.func.count()).where(
                Registration.pickup_stop_id == removed.id,
                Registration.status.in_(ACTIVE_STATUSES),
            )
        )
        if riders:
            raise InvalidEvent(
                {
                    "pickup_stops": ngettext(
                        "%(num)d person boards at %(place)s. Choose another stop for them "
                        "before removing it.",
                        "%(num)d people board at %(place)s. Choose another stop for them "
                        "before removing it.",
                        riders,
                        place=removed.place,
                    )
                }
            )
    return plan


def _apply_stops(event: Event, plan: list[tuple[PickupStop | None, StopDetails]]) -> bool:
    before = [(s.id, s.place, s.departs_at, s.note) for s in event.pickup_stops]
    stops = []
    for position, (stop, row) in enumerate(plan, start=1):
        stop = stop or PickupStop()
        stop.position, stop.place, stop.departs_at, stop.note = (
            position,
            row.place,
            row.departs_at,
            row.note,
        )
        stops.append(stop)
    event.pickup_stops = stops
    after = [(s.id, s.place, s.departs_at, s.note) for s in stops]
    return before != after


def _programme_differs(event: Event, items: list[ProgrammeDetails]) -> bool:
    current = [(p.starts_at, p.place, p.description) for p in event.programme]
    return current != [(p.starts_at, p.place, p.description) for p in items]


def publish(event_id: int, *, actor: Organiser | None) -> Event:
    with unit_of_work():
        event = _locked_event(event_id)
        if event.is_cancelled:
            raise DomainError(
                _("A cancelled event cannot be published again. Make a copy instead.")
            )
        if event.is_published:
            raise DomainError(_("The event is already published."))
        if event.is_past:
            raise DomainError(_("The event has already ended, so it cannot be published."))
        errors = check(details_of(event), event)
        if errors:
            raise InvalidEvent(errors)
        event.status = EventStatus.PUBLISHED
        event.published_at = event.published_at or now_utc()
        audit.record(AuditAction.EVENT_PUBLISHED, actor, event=event)
    return event


def unpublish(event_id: int, *, actor: Organiser | None) -> Event:
    """Back to a draft, while nobody has signed up (people who have must be told: cancel)."""
    with unit_of_work():
        event = _locked_event(event_id)
        if not event.is_published:
            raise DomainError(_("Only a published event can be withdrawn."))
        registered = active_count(event.id)
        if registered:
            raise DomainError(
                ngettext(
                    "%(num)d person has already signed up. Cancel the event instead, so that "
                    "they are told.",
                    "%(num)d people have already signed up. Cancel the event instead, so that "
                    "they are told.",
                    registered,
                )
            )
        event.status = EventStatus.DRAFT
        audit.record(AuditAction.EVENT_UNPUBLISHED, actor, event=event)
    return event


def cancel_event(event_id: int, reason: str, *, actor: Organiser | None) -> Event:
    """Cancel a published event; everyone registered is told why (`event_cancelled`)."""
    reason = reason.strip()
    with unit_of_work():
        # Locked, so that a sign-up waits and then finds the event cancelled, rather than
        # slipping in after the cancellation notices were written.
        event = _locked_event(event_id)
        if event.is_cancelled:
            raise DomainError(_("The event is already cancelled."))
        if not event.is_published:
            raise DomainError(
                _("Only a published event can be cancelled. A draft is not visible to anyone.")
            )
        if event.is_past:
            raise DomainError(_("The event has already ended, so it cannot be cancelled."))
        if len(reason) < 5:
            raise InvalidEvent({"reason": _("Write a few words to the participants about why.")})
        event.status = EventStatus.CANCELLED
        event.cancelled_at = now_utc()
        event.cancellation_reason = reason
        audit.record(AuditAction.EVENT_CANCELLED, actor, event=event)
        # Inside the transaction: the outbox writes its messages with this change, or not
        # at all.
        event_cancelled.send(event)
    return event


def shift_to_day(moment: datetime, days: int) -> datetime:
    """`moment` moved by whole days on the Riga wall clock (10:00 stays 10:00 across DST)."""
    local = to_riga(moment)
    moved = datetime.combine(local.date() + timedelta(days=days), local.time(), tzinfo=RIGA)
    return moved.astimezone(UTC)


def duplicate_event(
    event_id: int,
    *,
    title: str,
    starts_on: date,
    place: str | None,
    venue_name: str,
    venue_address: str,
    actor: Organiser | None,
) -> Event:
    """A draft copy on another day in another place: same format, times, stops, programme
    and questions.

    Registrations are not copied.
    """
    with unit_of_work():
        source = get_event(event_id)
        if source is None:
            raise _event_not_found()
        copy = _copy(source, title, starts_on, place, venue_name, venue_address)
        db.session.add(copy)
        audit.record(
            AuditAction.EVENT_DUPLICATED,
            actor,
            event=copy,
            copied_from_id=source.id,
            copied_from=source.title,
        )
    return copy


def _copy(
    source: Event,
    title: str,
    starts_on: date,
    place: str | None,
    venue_name: str,
    venue_address: str,
) -> Event:
    """An unsaved draft copy of `source` moved to `starts_on`; InvalidEvent if it breaks a rule."""
    days = (starts_on - to_riga(source.starts_at).date()).days
    details = details_of(source)
    details.title = title.strip()
    details.place = place
    details.venue_name = venue_name.strip()
    details.venue_address = venue_address.strip()
    details.slug = ""
    for name in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
        value = getattr(details, name)
        if value is not None:
            setattr(details, name, shift_to_day(value, days))
    for stop in details.pickup_stops:
        stop.id = None
        stop.departs_at = shift_to_day(stop.departs_at, days)
    for item in details.programme:
        if item.starts_at is not None:
            item.starts_at = shift_to_day(item.starts_at, days)

    errors = check(details)
    if "starts_at" in errors:
        errors["starts_on"] = errors.pop("starts_at")
    if errors:
        raise InvalidEvent(errors)
    copy = Event(status=EventStatus.DRAFT, confirmed_count=0, sequence=0)
    _fill(copy, details)
    copy.slug = unique_slug(f"{details.title} {starts_on.isoformat()}")
    copy.pickup_stops = [
        PickupStop(position=n, place=s.place, departs_at=s.departs_at, note=s.note)
        for n, s in enumerate(details.pickup_stops, start=1)
    ]
    copy.programme = _programme_items(details.programme)
    copy.questions = questions.copies_of(source)
    return copy
