"""Back-office forms: input checks and conversion only; the rules live in the services.

The checks the public forms make too come from `registration.forms` (`required`,
`max_length`, `EmailAddress`), so a message reads the same on every screen; the fields that
convert text (numbers, dates, times) are our own with translated messages, and a box whose
text could not be converted shows that one message and no other. Times are typed as Riga
wall-clock time and handed on as aware UTC.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time

from flask import current_app
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    Field,
    FieldList,
    Form,
    FormField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    EqualTo,
    Length,
    NumberRange,
    Optional,
    Regexp,
    StopValidation,
    ValidationError,
)
from wtforms.widgets import DateInput, DateTimeLocalInput, NumberInput, TextInput, TimeInput

from ..admin_labels import MESSAGE_AUDIENCES, ROLES
from ..forms import EmailAddress, max_length, required, strip
from ..forms import Form as TranslatedForm
from ..i18n import clock
from ..labels import KIND_LABELS
from ..models import Attendance, EventKind, OrganiserRole
from ..places import OTHER
from ..services.event_admin import EventDetails, ProgrammeDetails, StopDetails
from ..services.organisers import MIN_PASSWORD_LENGTH
from ..timeutil import RIGA, to_riga

# -- fields ----------------------------------------------------------------------------------


class _TextConverted(Field):
    """A field typed as text and converted; an empty box gives None."""

    widget = TextInput()
    invalid_message = _l("This value is not valid.")

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else self.format(self.data)

    def process_formdata(self, valuelist: list[str]) -> None:
        text = valuelist[0].strip() if valuelist else ""
        if not text:
            self.data = None
            return
        try:
            self.data = self.parse(text)
        except ValueError:
            self.data = None
            raise ValueError(str(self.invalid_message)) from None

    def pre_validate(self, form) -> None:
        # Text that is not a number (or a date) has its message already; the other checks
        # would only add a second, misleading one about the missing value ("abc" is not a
        # negative number).
        if self.process_errors:
            raise StopValidation()

    def format(self, value) -> str:  # pragma: no cover - overridden
        return str(value)

    def parse(self, text: str):  # pragma: no cover - overridden
        return text


class WholeNumberField(_TextConverted):
    widget = NumberInput(min=0)
    invalid_message = _l("Enter a whole number, for example 20.")

    def parse(self, text: str) -> int:
        if not re.fullmatch(r"[+-]?\d{1,9}", text):
            raise ValueError(text)
        return int(text)


class RigaDateTimeField(_TextConverted):
    """A date and time on the Riga clock, given back as aware UTC."""

    widget = DateTimeLocalInput()
    invalid_message = _l("Enter a date and time, for example 2027-09-08 10:00.")
    formats = ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%d.%m.%Y. %H:%M",
               "%d.%m.%Y %H:%M")  # fmt: skip

    def format(self, value: datetime) -> str:
        return to_riga(value).strftime("%Y-%m-%dT%H:%M")

    def parse(self, text: str) -> datetime:
        for pattern in self.formats:
            try:
                local = datetime.strptime(text, pattern)
            except ValueError:
                continue
            if not 2000 <= local.year <= 2100:
                raise ValueError(text)
            return local.replace(tzinfo=RIGA).astimezone(UTC)
        raise ValueError(text)


class DayField(_TextConverted):
    widget = DateInput()
    invalid_message = _l("Enter a date, for example 2027-09-08.")

    def format(self, value: date) -> str:
        return value.isoformat()

    def parse(self, text: str) -> date:
        for pattern in ("%Y-%m-%d", "%d.%m.%Y.", "%d.%m.%Y"):
            try:
                day = datetime.strptime(text, pattern).date()
            except ValueError:
                continue
            if not 2000 <= day.year <= 2100:
                raise ValueError(text)
            return day
        raise ValueError(text)


class ClockField(_TextConverted):
    """A time of day (HH:MM), combined with the event's day by the form."""

    widget = TimeInput()
    invalid_message = _l("Enter a time, for example 08:15.")

    def format(self, value: time) -> str:
        return value.strftime("%H:%M")

    def parse(self, text: str) -> time:
        match = re.fullmatch(r"(\d{1,2})[:.](\d{2})(?::\d{2})?", text)
        if not match:
            raise ValueError(text)
        return time(int(match[1]), int(match[2]))


class IdField(HiddenField):
    """The id of a row the form edits. Anything but an id's digits means the page was
    tampered with."""

    def process_formdata(self, valuelist: list[str]) -> None:
        text = valuelist[0].strip() if valuelist else ""
        if text and not re.fullmatch(r"[0-9]{1,10}", text):
            self.data = None
            raise ValueError(str(_l("The form was changed outside this page.")))
        self.data = int(text) if text else None

    def _value(self) -> str:
        return "" if self.data is None else str(self.data)


def _choice_values(choices) -> set[str]:
    return {str(c.value if isinstance(c, SelectChoice) else c[0]) for c in choices or ()}


def options(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms' choice objects."""
    return [SelectChoice(str(value), label) for value, label in pairs]


class Choice(SelectField):
    """A list to choose from; a value that is not on the list gets a translated message."""

    def pre_validate(self, form) -> None:
        values = _choice_values(self.choices)
        if self.data is None and "" in values:
            self.data = ""  # a list left out of the request means "nothing chosen"
        if self.validate_choice and self.data not in values:
            raise ValidationError(_l("Choose one of the options in the list."))


class RadioChoice(RadioField):
    def pre_validate(self, form) -> None:
        if self.validate_choice and self.data not in _choice_values(self.choices):
            raise ValidationError(_l("Choose one of the options."))


def _place_choices(blank_label) -> list[tuple[str, str]]:
    places = [(p, p) for p in current_app.config["PLACES"]]
    return [("", str(blank_label)), *places]


#: Every text field is trimmed and loses control characters (see registration.forms.strip).
STRIP = [strip]

# -- login and accounts ----------------------------------------------------------------------


class LoginForm(TranslatedForm):
    email = StringField(
        _l("Email"),
        filters=STRIP,
        validators=[required(_l("Enter your email address.")), max_length(254)],
        render_kw={"autocomplete": "username", "inputmode": "email", "spellcheck": "false"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[required(_l("Enter your password.")), max_length(500)],
        render_kw={"autocomplete": "current-password"},
    )
    next = HiddenField()


def _password_validators():
    return [
        required(_l("Enter a password.")),
        Length(
            min=MIN_PASSWORD_LENGTH,
            max=500,
            message=_l("The password must be at least %(min)d characters long."),
        ),
    ]


class NewPasswordForm(TranslatedForm):
    password = PasswordField(
        _l("New password"),
        validators=_password_validators(),
        render_kw={"autocomplete": "new-password"},
    )
    password_repeat = PasswordField(
        _l("Repeat the password"),
        validators=[EqualTo("password", _l("The two passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )


class OrganiserForm(NewPasswordForm):
    email = StringField(
        _l("Email"),
        filters=STRIP,
        validators=[
            required(_l("Enter the email address.")),
            max_length(254),
            EmailAddress(),
        ],
    )
    name = StringField(_l("Name"), filters=STRIP, validators=[max_length(200)])
    role = Choice(
        _l("Role"),
        choices=options((role.value, label) for role, label in ROLES.items()),
        default=OrganiserRole.ORGANISER.value,
        validate_choice=True,
    )
    # Password fields come from NewPasswordForm; shown after the name.


# -- events ----------------------------------------------------------------------------------


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
        self.place.choices = _place_choices(_l("Not in the list / online"))

    def filled_stops(self) -> list[StopRow]:
        return [row.form for row in self.pickup_stops if not row.form.is_blank]

    def filled_programme(self) -> list[ProgrammeRow]:
        return [row.form for row in self.programme if not row.form.is_blank]


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
        self.place.choices = _place_choices(_l("Not in the list / online"))


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


class ActionForm(TranslatedForm):
    """A button that changes something: only the CSRF token."""


# -- participants ----------------------------------------------------------------------------


def _optional_email(description=None) -> StringField:
    # Optional: people who sign up by phone or at the door often have no email address.
    return StringField(
        _l("Email"),
        filters=STRIP,
        validators=[Optional(), max_length(254), EmailAddress()],
        description=description,
    )


class _PersonForm(TranslatedForm):
    """Who someone is, as every back-office form about a person asks it."""

    first_name = StringField(
        _l("First name"),
        filters=STRIP,
        validators=[required(_l("Enter the first name.")), max_length(100)],
    )
    last_name = StringField(
        _l("Surname"),
        filters=STRIP,
        validators=[required(_l("Enter the surname.")), max_length(100)],
    )
    phone = StringField(_l("Phone"), filters=STRIP, validators=[max_length(40)])
    place = Choice(_l("Place of residence"), choices=[], validate_choice=True)
    place_other = StringField(
        _l("Other place of residence"), filters=STRIP, validators=[max_length(120)]
    )
    organisation = StringField(_l("Organisation"), filters=STRIP, validators=[max_length(200)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.place.choices = [*_place_choices(_l("Choose…")), (OTHER, str(_l("Other")))]

    def validate_place_other(self, field) -> None:
        if self.place.data == OTHER and not field.data:
            raise ValidationError(_l("Write the place of residence."))


class ParticipantForm(_PersonForm):
    """Details an organiser may change after sign-up (the email address identifies the
    registration and stays)."""

    pickup_stop_id = Choice(_l("Pickup stop"), choices=[], validate_choice=True)
    needs = TextAreaField(
        _l("Needs"),
        filters=STRIP,
        validators=[max_length(2000)],
        description=_l("Access, diet or anything else the organisers should know."),
    )
    comment = TextAreaField(_l("Comment"), filters=STRIP, validators=[max_length(2000)])
    photo_opt_out = BooleanField(_l("Does not want to be photographed"))
    wants_news = BooleanField(_l("Agreed to hear about future events"))
    organiser_note = TextAreaField(
        _l("Organiser's note"),
        filters=STRIP,
        validators=[max_length(5000)],
        description=_l("Only organisers see it."),
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.pickup_stop_id.choices = [("", str(_l("No stop chosen")))] + [
            (str(stop.id), f"{clock(stop.departs_at)} {stop.place}") for stop in event.pickup_stops
        ]

    def details(self) -> dict:
        """The changeable fields as the booking rules take them."""
        return {
            "first_name": self.first_name.data,
            "last_name": self.last_name.data,
            "phone": self.phone.data or "",
            "place": self.place.data or "",
            "place_other": (self.place_other.data or "") if self.place.data == OTHER else "",
            "organisation": self.organisation.data or "",
            "pickup_stop_id": int(self.pickup_stop_id.data) if self.pickup_stop_id.data else None,
            "needs": self.needs.data or "",
            "comment": self.comment.data or "",
            "photo_opt_out": self.photo_opt_out.data,
            "wants_news": self.wants_news.data,
            "organiser_note": self.organiser_note.data or "",
        }


class AddParticipantForm(ParticipantForm):
    email = _optional_email(_l("Confirmations and changes are sent there. Without one, no emails."))
    language = Choice(
        _l("Language of emails"),
        choices=options([("lv", "latviešu"), ("en", "English")]),
        default="lv",
    )
    override_capacity = BooleanField(
        _l("Give a seat even if the event is full (adds a seat)"),
    )


class WalkInForm(_PersonForm):
    email = _optional_email()


class AttendanceForm(TranslatedForm):
    attendance = RadioChoice(
        choices=options([(Attendance.ATTENDED.value, ""), (Attendance.ABSENT.value, ""), ("", "")]),
        validate_choice=True,
    )


class ConfirmForm(TranslatedForm):
    override_capacity = BooleanField(_l("Even though the event is full"))


class MessageForm(TranslatedForm):
    audience = RadioChoice(
        _l("To whom"),
        choices=options(MESSAGE_AUDIENCES.items()),
        default="confirmed",
        validators=[required(_l("Choose who receives the message."))],
    )
    subject = StringField(
        _l("Subject"),
        filters=STRIP,
        validators=[required(_l("Enter the subject.")), max_length(200)],
    )
    body = TextAreaField(
        _l("Message"),
        filters=STRIP,
        validators=[required(_l("Write the message.")), max_length(10000)],
    )


def apply_errors(form: TranslatedForm, errors: dict[str, str]) -> dict[str, str]:
    """Show service errors next to their fields; return those with no field of their own."""
    leftover = {}
    for name, message in errors.items():
        field = form._fields.get(name)
        if field is not None and not isinstance(field, FieldList):
            field.errors = [*field.errors, message]
        else:
            leftover[name] = message
    return leftover


# -- converting the event form ---------------------------------------------------------------


def _on_day(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=RIGA).astimezone(UTC)


def event_details(form: EventForm) -> EventDetails:
    """The validated form as the service's EventDetails (times of rows on the start day)."""
    day = to_riga(form.starts_at.data).date()
    return EventDetails(
        title=form.title.data,
        kind=EventKind(form.kind.data),
        project_id=int(form.project_id.data) if form.project_id.data else None,
        slug=form.slug.data or "",
        summary=form.summary.data or "",
        description=form.description.data or "",
        audience=form.audience.data or "",
        starts_at=form.starts_at.data,
        ends_at=form.ends_at.data,
        is_online=form.is_online.data,
        online_url=form.online_url.data or None,
        venue_name=form.venue_name.data or "",
        venue_address=form.venue_address.data or "",
        place=form.place.data or None,
        capacity=form.capacity.data,
        has_waiting_list=form.has_waiting_list.data,
        registration_opens_at=form.registration_opens_at.data,
        registration_closes_at=form.registration_closes_at.data,
        requires_phone=form.requires_phone.data,
        contact_name=form.contact_name.data or "",
        contact_email=form.contact_email.data or "",
        contact_phone=form.contact_phone.data or "",
        practical_info=form.practical_info.data or "",
        reminder_hours=form.reminder_hours.data,
        notify_organiser=form.notify_organiser.data,
        pickup_stops=[
            StopDetails(
                place=row.place.data,
                departs_at=_on_day(day, row.time.data),
                note=row.note.data or "",
                id=row.id.data,
            )
            for row in form.filled_stops()
        ],
        programme=[
            ProgrammeDetails(
                description=row.description.data,
                place=row.place.data or "",
                starts_at=_on_day(day, row.time.data) if row.time.data else None,
            )
            for row in form.filled_programme()
        ],
    )


def event_form_data(details: EventDetails | None) -> dict:
    """Initial values for the event form, with blank rows under the filled ones."""
    blank_stops = [{}] * BLANK_ROWS
    if details is None:
        return {
            "has_waiting_list": True,
            "reminder_hours": 24,
            "pickup_stops": blank_stops,
            "programme": [{}] * BLANK_ROWS,
        }
    data = {
        name: getattr(details, name)
        for name in (
            "title", "slug", "summary", "description", "audience", "starts_at", "ends_at",
            "is_online", "online_url", "venue_name", "venue_address", "capacity",
            "has_waiting_list", "registration_opens_at", "registration_closes_at",
            "requires_phone", "contact_name", "contact_email", "contact_phone",
            "practical_info", "reminder_hours", "notify_organiser",
        )
    }  # fmt: skip
    data["kind"] = details.kind.value
    data["project_id"] = str(details.project_id) if details.project_id else ""
    data["place"] = details.place or ""
    data["pickup_stops"] = [
        {"id": s.id, "place": s.place, "time": to_riga(s.departs_at).time(), "note": s.note}
        for s in details.pickup_stops
    ] + blank_stops
    data["programme"] = [
        {
            "time": to_riga(p.starts_at).time() if p.starts_at else None,
            "place": p.place,
            "description": p.description,
        }
        for p in details.programme
    ] + [{}] * BLANK_ROWS
    return data
