"""The event forms: create and edit (with a trip's stops and programme), duplicate, cancel.

Rows of stops and programme are offered blank under the filled ones, so the page works
without JavaScript. `EventForm.to_command()` gives the service its EventDetails, with the
rows' times on the event's start day.
"""

from __future__ import annotations

from dataclasses import MISSING, fields
from datetime import UTC, date, datetime, time

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, FieldList, Form, FormField, StringField, TextAreaField
from wtforms.validators import NumberRange, Optional, Regexp

from ..forms import EmailAddress, max_length, required
from ..forms import Form as TranslatedForm
from ..labels import KIND_LABELS
from ..models import DEFAULT_MAX_COMPANIONS, EventKind
from ..services.event_details import EventDetails, ProgrammeDetails, StopDetails
from ..timeutil import RIGA, to_riga
from .fields import (
    STRIP,
    Choice,
    ClockField,
    DayField,
    IdField,
    RigaDateTimeField,
    WholeNumberField,
    options,
    place_choices,
)


class StopRow(Form):
    id = IdField()
    place = StringField(_l("Pickup stop"), filters=STRIP, validators=[max_length(200)])
    time = ClockField(_l("Departs at"))
    note = StringField(_l("Note"), filters=STRIP, validators=[max_length(300)])

    @property
    def is_blank(self) -> bool:
        return not (self.place.data or self.time.data or self.note.data or self.id.data)

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if ok and not self.is_blank:
            if not self.place.data:
                self.place.errors.append(str(_l("Enter the place of the stop.")))
                ok = False
            if self.time.data is None:
                self.time.errors.append(str(_l("Enter the departure time.")))
                ok = False
        return ok


class ProgrammeRow(Form):
    time = ClockField(_l("Time"))
    place = StringField(_l("Place"), filters=STRIP, validators=[max_length(200)])
    description = StringField(_l("What happens"), filters=STRIP, validators=[max_length(1000)])

    @property
    def is_blank(self) -> bool:
        return not (self.time.data or self.place.data or self.description.data)

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if ok and not self.is_blank and not self.description.data:
            self.description.errors.append(str(_l("Describe this part of the day.")))
            ok = False
        return ok


#: Blank rows offered under the filled ones: the page works without JavaScript.
BLANK_ROWS = 3
MAX_ROWS = 40


class EventForm(TranslatedForm):
    title = StringField(
        _l("Title"),
        filters=STRIP,
        validators=[required(_l("Enter the title.")), max_length(200)],
    )
    kind = Choice(
        _l("Kind"),
        choices=options((kind.value, label) for kind, label in KIND_LABELS.items()),
        default=EventKind.THINK_TANK.value,
    )
    project_id = Choice(_l("Project"), choices=[], validate_choice=True)
    slug = StringField(
        _l("Web address"),
        filters=[lambda v: v.strip().lower() if v else v],
        validators=[max_length(120)],
        description=_l("The end of the page's address. Leave empty to make it from the title."),
    )
    summary = StringField(
        _l("Summary"),
        filters=STRIP,
        validators=[max_length(300)],
        description=_l("One sentence for the list of events."),
    )
    description = TextAreaField(_l("Description"), filters=STRIP, validators=[max_length(20000)])
    audience = StringField(_l("Who it is for"), filters=STRIP, validators=[max_length(300)])
    starts_at = RigaDateTimeField(
        _l("Starts"), validators=[required(_l("Enter when the event starts."))]
    )
    ends_at = RigaDateTimeField(_l("Ends"), validators=[required(_l("Enter when the event ends."))])
    is_online = BooleanField(_l("Online event"))
    online_url = StringField(
        _l("Join link"),
        filters=STRIP,
        validators=[
            Optional(),
            max_length(500),
            Regexp(
                r"^https?://[^\s/]+\.[^\s]+$",
                message=_l("Enter the full link, starting with https://."),
            ),
        ],
        description=_l("Sent only to registered participants, never shown on the public page."),
    )
    venue_name = StringField(_l("Venue"), filters=STRIP, validators=[max_length(200)])
    venue_address = StringField(_l("Address"), filters=STRIP, validators=[max_length(300)])
    place = Choice(_l("Parish or town"), choices=[], validate_choice=True)
    capacity = WholeNumberField(
        _l("Seats"),
        validators=[
            Optional(),
            NumberRange(min=0, message=_l("The number of seats cannot be negative.")),
        ],
        description=_l("Leave empty for no limit."),
    )
    has_waiting_list = BooleanField(_l("Keep a waiting list when the seats are taken"))
    max_companions = WholeNumberField(
        _l("Companions one person may sign up with them"),
        validators=[
            Optional(),
            NumberRange(min=0, max=10, message=_l("Enter a number of companions from 0 to 10.")),
        ],
        description=_l(
            "0: everyone signs up alone; empty: 3. A group gets its seats together or "
            "waits together."
        ),
    )
    fills_with_smaller_groups = BooleanField(
        _l(
            "When a group waiting does not fit the free seats, smaller groups behind it may take them"
        )
    )
    registration_opens_at = RigaDateTimeField(
        _l("Sign-up opens"), description=_l("Leave empty to open it on publication.")
    )
    registration_closes_at = RigaDateTimeField(
        _l("Sign-up closes"), description=_l("Leave empty to close it when the event starts.")
    )
    requires_phone = BooleanField(_l("Ask for a phone number"))
    contact_name = StringField(_l("Contact person"), filters=STRIP, validators=[max_length(200)])
    contact_email = StringField(
        _l("Contact email"),
        filters=STRIP,
        validators=[
            Optional(),
            max_length(254),
            EmailAddress(),
        ],
    )
    contact_phone = StringField(_l("Contact phone"), filters=STRIP, validators=[max_length(40)])
    practical_info = TextAreaField(
        _l("Practical information"), filters=STRIP, validators=[max_length(5000)]
    )
    reminder_hours = WholeNumberField(
        _l("Reminder, hours before the start"),
        validators=[
            Optional(),
            # 0 would mean "at the start", when reminders are no longer sent.
            NumberRange(
                min=1,
                max=336,
                message=_l(
                    "Enter a number of hours from 1 to 336 (14 days), or leave the field "
                    "empty for no reminder."
                ),
            ),
        ],
        description=_l("Leave empty to send no reminder."),
    )
    notify_organiser = BooleanField(_l("Email the contact person about each sign-up"))
    confirm_within_hours = WholeNumberField(
        _l("People confirm their email address within, hours"),
        validators=[
            Optional(),
            NumberRange(
                min=1,
                max=168,
                message=_l(
                    "Enter a number of hours from 1 to 168 (7 days), or leave the field empty "
                    "to not ask for a confirmation."
                ),
            ),
        ],
        description=_l(
            "The place of someone who signs up on the site is kept for them until then; "
            "unconfirmed, it goes to the waiting list. Leave empty to not ask."
        ),
    )
    pickup_stops = FieldList(FormField(StopRow), max_entries=MAX_ROWS)
    programme = FieldList(FormField(ProgrammeRow), max_entries=MAX_ROWS)
    notify_participants = BooleanField(
        _l("Tell the participants about a change of time or place (with an updated calendar entry)")
    )

    def __init__(self, *args, projects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.project_id.choices = [("", str(_l("No project")))] + [
            (str(p.id), p.title) for p in projects
        ]
        self.place.choices = place_choices(_l("Not in the list / online"))

    def filled_stops(self) -> list[StopRow]:
        return [row.form for row in self.pickup_stops if not row.form.is_blank]

    def filled_programme(self) -> list[ProgrammeRow]:
        return [row.form for row in self.programme if not row.form.is_blank]

    def to_command(self) -> dict:
        """As `event_admin.create_event` / `update_event` take it: the EventDetails, with
        the rows' times on the start day."""
        day = to_riga(self.starts_at.data).date()
        details = EventDetails(
            title=self.title.data,
            kind=EventKind(self.kind.data),
            project_id=int(self.project_id.data) if self.project_id.data else None,
            slug=self.slug.data or "",
            summary=self.summary.data or "",
            description=self.description.data or "",
            audience=self.audience.data or "",
            starts_at=self.starts_at.data,
            ends_at=self.ends_at.data,
            is_online=self.is_online.data,
            online_url=self.online_url.data or None,
            venue_name=self.venue_name.data or "",
            venue_address=self.venue_address.data or "",
            place=self.place.data or None,
            capacity=self.capacity.data,
            has_waiting_list=self.has_waiting_list.data,
            max_companions=(
                DEFAULT_MAX_COMPANIONS
                if self.max_companions.data is None
                else self.max_companions.data
            ),
            fills_with_smaller_groups=self.fills_with_smaller_groups.data,
            registration_opens_at=self.registration_opens_at.data,
            registration_closes_at=self.registration_closes_at.data,
            requires_phone=self.requires_phone.data,
            contact_name=self.contact_name.data or "",
            contact_email=self.contact_email.data or "",
            contact_phone=self.contact_phone.data or "",
            practical_info=self.practical_info.data or "",
            reminder_hours=self.reminder_hours.data,
            notify_organiser=self.notify_organiser.data,
            confirm_within_hours=self.confirm_within_hours.data,
            pickup_stops=[
                StopDetails(
                    place=row.place.data,
                    departs_at=_on_day(day, row.time.data),
                    note=row.note.data or "",
                    id=row.id.data,
                )
                for row in self.filled_stops()
            ],
            programme=[
                ProgrammeDetails(
                    description=row.description.data,
                    place=row.place.data or "",
                    starts_at=_on_day(day, row.time.data) if row.time.data else None,
                )
                for row in self.filled_programme()
            ],
        )
        return {"details": details}


class DuplicateForm(TranslatedForm):
    title = StringField(
        _l("Title of the copy"),
        filters=STRIP,
        validators=[required(_l("Enter the title.")), max_length(200)],
    )
    starts_on = DayField(_l("Date"), validators=[required(_l("Enter the date."))])
    place = Choice(_l("Parish or town"), choices=[], validate_choice=True)
    venue_name = StringField(_l("Venue"), filters=STRIP, validators=[max_length(200)])
    venue_address = StringField(_l("Address"), filters=STRIP, validators=[max_length(300)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.place.choices = place_choices(_l("Not in the list / online"))

    def to_command(self) -> dict:
        """As `event_admin.duplicate_event` takes it."""
        return {
            "title": self.title.data,
            "starts_on": self.starts_on.data,
            "place": self.place.data or None,
            "venue_name": self.venue_name.data or "",
            "venue_address": self.venue_address.data or "",
        }


class CancelEventForm(TranslatedForm):
    reason = TextAreaField(
        _l("Message to the participants"),
        filters=STRIP,
        validators=[
            required(_l("Write a few words to the participants about why.")),
            max_length(2000),
        ],
        description=_l("Shown on the event's page and sent by email to everyone registered."),
    )

    def to_command(self) -> dict:
        return {"reason": self.reason.data}


def _on_day(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=RIGA).astimezone(UTC)


def event_form_data(details: EventDetails | None) -> dict:
    """Initial values for the event form, with blank rows under the filled ones; a new
    event starts with the defaults the service has (`EventDetails`)."""
    blank_rows = [{}] * BLANK_ROWS
    if details is None:
        return {**NEW_EVENT_DEFAULTS, "pickup_stops": blank_rows, "programme": blank_rows}
    data = {
        name: getattr(details, name)
        for name in (
            "title", "slug", "summary", "description", "audience", "starts_at", "ends_at",
            "is_online", "online_url", "venue_name", "venue_address", "capacity",
            "has_waiting_list", "max_companions", "fills_with_smaller_groups",
            "registration_opens_at", "registration_closes_at",
            "requires_phone", "contact_name", "contact_email", "contact_phone",
            "practical_info", "reminder_hours", "notify_organiser", "confirm_within_hours",
        )
    }  # fmt: skip
    data["kind"] = details.kind.value
    data["project_id"] = str(details.project_id) if details.project_id else ""
    data["place"] = details.place or ""
    data["pickup_stops"] = [
        {"id": s.id, "place": s.place, "time": to_riga(s.departs_at).time(), "note": s.note}
        for s in details.pickup_stops
    ] + blank_rows
    data["programme"] = [
        {
            "time": to_riga(p.starts_at).time() if p.starts_at else None,
            "place": p.place,
            "description": p.description,
        }
        for p in details.programme
    ] + blank_rows
    return data


#: The defaults of a new event's form: the service's own.
NEW_EVENT_DEFAULTS = {
    f.name: f.default
    for f in fields(EventDetails)
    if f.default is not MISSING
    and f.name in {"has_waiting_list", "reminder_hours", "max_companions"}
}
