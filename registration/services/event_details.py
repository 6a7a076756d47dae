"""What an event is made of, as organisers set it, and the rules those details must keep.

`EventDetails` carries everything an organiser sets on an event as plain values (times aware
UTC); `check()` lists every rule the details break as field -> translated sentence, so a form
shows each next to its field; `InvalidEvent` carries them out of a service.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime
from itertools import pairwise

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from ..extensions import db
from ..models import (
    DEFAULT_HAS_WAITING_LIST,
    DEFAULT_MAX_COMPANIONS,
    DEFAULT_REMINDER_HOURS,
    Event,
    EventKind,
    Project,
)
from ..places import slugify
from ..timeutil import now_utc
from . import DomainError
from .seats import MAX_COMPANIONS

SLUG_MAX = 120


class InvalidEvent(DomainError):
    """The details break one or more rules; `errors` maps field names to sentences."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(next(iter(errors.values())))
        self.errors = errors


class StaleForm(DomainError):
    """The form refers to something that is not part of this event (an old or tampered page)."""


@dataclass
class StopDetails:
    place: str
    departs_at: datetime
    note: str = ""
    #: The existing stop this row edits; None for a new stop.
    id: int | None = None


@dataclass
class ProgrammeDetails:
    description: str
    starts_at: datetime | None = None
    place: str = ""


@dataclass
class EventDetails:
    """Everything an organiser sets on an event, as plain values (times aware UTC)."""

    title: str
    kind: EventKind
    starts_at: datetime
    ends_at: datetime
    summary: str = ""
    description: str = ""
    audience: str = ""
    venue_name: str = ""
    venue_address: str = ""
    place: str | None = None
    is_online: bool = False
    online_url: str | None = None
    capacity: int | None = None
    has_waiting_list: bool = DEFAULT_HAS_WAITING_LIST
    max_companions: int = DEFAULT_MAX_COMPANIONS
    fills_with_smaller_groups: bool = False
    registration_opens_at: datetime | None = None
    registration_closes_at: datetime | None = None
    requires_phone: bool = False
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    practical_info: str = ""
    reminder_hours: int | None = DEFAULT_REMINDER_HOURS
    notify_organiser: bool = False
    #: Double opt-in: hours to confirm one's address; None: not asked.
    confirm_within_hours: int | None = None
    project_id: int | None = None
    #: Empty: made from the title.
    slug: str = ""
    pickup_stops: list[StopDetails] = field(default_factory=list)
    programme: list[ProgrammeDetails] = field(default_factory=list)


#: Plain columns copied between EventDetails and Event.
SCALAR_FIELDS = tuple(
    f.name for f in fields(EventDetails) if f.name not in {"pickup_stops", "programme", "slug"}
)


def details_of(event: Event) -> EventDetails:
    """The event's current details, e.g. to fill the edit form."""
    values = {name: getattr(event, name) for name in SCALAR_FIELDS}
    return EventDetails(
        **values,
        slug=event.slug,
        pickup_stops=[
            StopDetails(place=s.place, departs_at=s.departs_at, note=s.note, id=s.id)
            for s in event.pickup_stops
        ],
        programme=[
            ProgrammeDetails(description=p.description, starts_at=p.starts_at, place=p.place)
            for p in event.programme
        ],
    )


def check(details: EventDetails, event: Event | None = None) -> dict[str, str]:
    """Every rule the details break, as field -> sentence; empty when all is well."""
    errors: dict[str, str] = {}
    if not details.title.strip():
        errors["title"] = _("Enter the title.")
    for rule in (_check_times, _check_seats, _check_where, _check_links):
        errors.update(rule(details, event))
    stop_error = _check_stops(details)
    if stop_error:
        errors["pickup_stops"] = stop_error
    return errors


def _check_times(details: EventDetails, event: Event | None) -> dict[str, str]:
    errors = {}
    starts_changed = event is None or details.starts_at != event.starts_at
    if starts_changed and details.starts_at < now_utc():
        errors["starts_at"] = _("The start is in the past. Check the date and time.")
    if details.ends_at <= details.starts_at:
        errors["ends_at"] = _("The event must end after it starts.")
    opens, closes = details.registration_opens_at, details.registration_closes_at
    if closes is not None and closes >= details.ends_at:
        errors["registration_closes_at"] = _("Sign-up must close before the event ends.")
    if opens is not None and opens >= (closes or details.ends_at):
        errors["registration_opens_at"] = _(
            "Sign-up must open before it closes and before the event ends."
        )
    # 0 hours would be the moment the event starts, when the reminder is no longer sent.
    if details.reminder_hours is not None and not 1 <= details.reminder_hours <= 24 * 14:
        errors["reminder_hours"] = _(
            "Enter a number of hours from 1 to 336 (14 days), or leave the field empty for no "
            "reminder."
        )
    if details.confirm_within_hours is not None and not 1 <= details.confirm_within_hours <= 168:
        errors["confirm_within_hours"] = _(
            "Enter a number of hours from 1 to 168 (7 days), or leave the field empty to not "
            "ask for a confirmation."
        )
    return errors


def _check_seats(details: EventDetails, event: Event | None) -> dict[str, str]:
    if not 0 <= details.max_companions <= MAX_COMPANIONS:
        return {
            "max_companions": _(
                "Enter a number of companions from 0 to %(num)d.", num=MAX_COMPANIONS
            )
        }
    if details.capacity is None:
        return {}
    if details.capacity < 0:
        return {"capacity": _("The capacity cannot be negative. Leave it empty for no limit.")}
    if event is not None and details.capacity < event.confirmed_count:
        return {
            "capacity": ngettext(
                "%(num)d person is already confirmed, so the capacity cannot be lower than "
                "%(num)d. Cancel registrations first if there really are fewer seats.",
                "%(num)d people are already confirmed, so the capacity cannot be lower than "
                "%(num)d. Cancel registrations first if there really are fewer seats.",
                event.confirmed_count,
            )
        }
    return {}


def _check_where(details: EventDetails, event: Event | None) -> dict[str, str]:
    if details.is_online:
        if not details.online_url:
            return {"online_url": _("An online event needs a join link.")}
    elif not (details.venue_name.strip() or details.venue_address.strip()):
        return {"venue_name": _("Enter where the event takes place.")}
    return {}


def _check_links(details: EventDetails, event: Event | None) -> dict[str, str]:
    """The project it belongs to and its web address."""
    errors = {}
    if details.project_id is not None and db.session.get(Project, details.project_id) is None:
        errors["project_id"] = _("Choose a project from the list.")
    if details.slug:
        if slugify(details.slug) != details.slug or len(details.slug) > SLUG_MAX:
            errors["slug"] = _(
                "Use only small Latin letters, digits and hyphens, for example nvo-domnica-sece."
            )
        elif _slug_taken(details.slug, event):
            errors["slug"] = _("Another event already uses this web address.")
    return errors


def _check_stops(details: EventDetails) -> str | None:
    stops = details.pickup_stops
    if details.kind is EventKind.STUDY_TRIP and not stops:
        return _("A study trip needs at least one pickup stop.")
    for before, after in pairwise(stops):
        if after.departs_at < before.departs_at:
            return _(
                "The stops go in route order, so %(place)s cannot be earlier than the stop "
                "before it. Check the times.",
                place=after.place,
            )
    first_item = min((p.starts_at for p in details.programme if p.starts_at), default=None)
    for stop in stops:
        if stop.departs_at >= details.ends_at:
            return _(
                "The bus cannot leave %(place)s after the trip has ended. Check the time.",
                place=stop.place,
            )
        if first_item is not None and stop.departs_at > first_item:
            return _(
                "The bus leaves %(place)s after the day's programme has begun. Check the time "
                "of the stop or of the programme.",
                place=stop.place,
            )
    return None


def _slug_taken(slug: str, event: Event | None) -> bool:
    query = sa.select(Event.id).where(Event.slug == slug)
    if event is not None:
        query = query.where(Event.id != event.id)
    return db.session.scalar(query) is not None


def unique_slug(text: str, event: Event | None = None) -> str:
    """A free URL part made from `text` ('NVO domnīca Secē' -> 'nvo-domnica-sece')."""
    base = slugify(text)[: SLUG_MAX - 4].strip("-") or "notikums"
    slug, n = base, 1
    while _slug_taken(slug, event):
        n += 1
        slug = f"{base}-{n}"
    return slug


def raise_if_invalid(details: EventDetails, event: Event | None = None) -> None:
    errors = check(details, event)
    if errors:
        raise InvalidEvent(errors)
