"""Back-office forms for accounts, participants, check-in and messages: input checks and
conversion only; the rules live in the services. Each form gives the service its input
through `to_command()`, the keyword arguments of the service call.

The checks the public forms make too come from `registration.forms` (`required`,
`max_length`, `EmailAddress`), so a message reads the same on every screen. The event forms
are in `event_forms.py`, the converting fields in `fields.py`.
"""

from __future__ import annotations

from flask import flash
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    FieldList,
    HiddenField,
    PasswordField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import EqualTo, Length, Optional, ValidationError

from ..admin_labels import MESSAGE_AUDIENCES, ROLES
from ..forms import EmailAddress, PersonName, max_length, required
from ..forms import Form as TranslatedForm
from ..i18n import clock
from ..models import Attendance, OrganiserRole
from ..places import OTHER
from ..services.booking import SignUpDetails
from ..services.file_types import RefusedFile
from ..services.organisers import MIN_PASSWORD_LENGTH, normalise_email
from ..services.publishing import InvalidFields
from .fields import STRIP, Choice, RadioChoice, options, place_choices

# -- login and accounts ----------------------------------------------------------------------


def _login_address(value):
    """The address as the login limit counts it (admin/auth.py) and the account is found."""
    return normalise_email(value) if isinstance(value, str) else value


class LoginForm(TranslatedForm):
    email = StringField(
        _l("Email"),
        filters=[_login_address],
        validators=[required(_l("Enter your email address.")), max_length(254)],
        render_kw={"autocomplete": "username", "inputmode": "email", "spellcheck": "false"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[required(_l("Enter your password.")), max_length(500)],
        render_kw={"autocomplete": "current-password"},
    )
    next = HiddenField()

    def to_command(self) -> dict:
        return {"email": self.email.data, "password": self.password.data}


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

    def to_command(self) -> dict:
        return {"password": self.password.data}


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

    def to_command(self) -> dict:
        return {
            "email": self.email.data,
            "password": self.password.data,
            "name": self.name.data or "",
            "role": OrganiserRole(self.role.data),
        }


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
        validators=[required(_l("Enter the first name.")), PersonName()],
    )
    last_name = StringField(
        _l("Surname"),
        filters=STRIP,
        validators=[required(_l("Enter the surname.")), PersonName()],
    )
    phone = StringField(_l("Phone"), filters=STRIP, validators=[max_length(40)])
    place = Choice(_l("Place of residence"), choices=[], validate_choice=True)
    place_other = StringField(
        _l("Other place of residence"), filters=STRIP, validators=[max_length(120)]
    )
    organisation = StringField(_l("Organisation"), filters=STRIP, validators=[max_length(200)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.place.choices = [*place_choices(_l("Choose…")), (OTHER, str(_l("Other")))]

    def validate_place_other(self, field) -> None:
        if self.place.data == OTHER and not field.data:
            raise ValidationError(_l("Write the place of residence."))

    def _person(self) -> dict:
        return {
            "first_name": self.first_name.data,
            "last_name": self.last_name.data,
            "phone": self.phone.data or "",
            "place": self.place.data or "",
            "place_other": (self.place_other.data or "") if self.place.data == OTHER else "",
            "organisation": self.organisation.data or "",
        }

    def _email(self) -> str:
        # A form posted without the email box has None there: no address.
        return self.email.data or ""


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

    def _registration_fields(self) -> dict:
        return {
            **self._person(),
            "pickup_stop_id": int(self.pickup_stop_id.data) if self.pickup_stop_id.data else None,
            "needs": self.needs.data or "",
            "comment": self.comment.data or "",
            "photo_opt_out": self.photo_opt_out.data,
            "wants_news": self.wants_news.data,
        }

    def to_command(self) -> dict:
        """The changeable fields, as `participants.edit` takes them."""
        return {**self._registration_fields(), "organiser_note": self.organiser_note.data or ""}


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

    def to_command(self) -> dict:
        """As `participants.add` takes it."""
        return {
            "details": SignUpDetails(
                email=self._email(), language=self.language.data, **self._registration_fields()
            ),
            "override_capacity": self.override_capacity.data,
            "organiser_note": self.organiser_note.data or "",
        }


class WalkInForm(_PersonForm):
    email = _optional_email()

    def to_command(self) -> dict:
        """As `participants.add_walk_in` takes it."""
        return {"details": SignUpDetails(email=self._email(), **self._person())}


class AttendanceForm(TranslatedForm):
    attendance = RadioChoice(
        choices=options([(Attendance.ATTENDED.value, ""), (Attendance.ABSENT.value, ""), ("", "")]),
        validate_choice=True,
    )

    def to_command(self) -> dict:
        """As `participants.mark_attendance` takes it (empty: not marked)."""
        value = self.attendance.data
        return {"attendance": Attendance(value) if value else None}


class ConfirmForm(TranslatedForm):
    override_capacity = BooleanField(_l("Even though the event is full"))

    def to_command(self) -> dict:
        return {"override_capacity": self.override_capacity.data}


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

    def to_command(self) -> dict:
        return {
            "audience": self.audience.data,
            "subject": self.subject.data,
            "body": self.body.data,
        }


class JunkForm(TranslatedForm):
    """Which registrations go as junk (the view offers those still holding a place)."""

    registration_ids = SelectMultipleField(
        coerce=int,
        choices=[],
        validate_choice=True,
        validators=[required(_l("Tick the sign-ups to remove first."))],
    )
    block = BooleanField(_l("Also put their email addresses on the block list"))

    def to_command(self) -> dict:
        """As `junk.remove` takes it."""
        return {"registration_ids": self.registration_ids.data, "block": self.block.data}


class BlockForm(TranslatedForm):
    value = StringField(
        _l("Email address or domain"),
        filters=STRIP,
        validators=[required(_l("Write an email address or a domain.")), max_length(254)],
        description=_l("name@example.lv blocks one address; example.lv blocks the whole domain."),
    )
    note = StringField(_l("Note"), filters=STRIP, validators=[max_length(300)])

    def to_command(self) -> dict:
        """As `blocklist.add` takes it."""
        return {"value": self.value.data, "note": self.note.data or ""}


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


def save_or_show(form: TranslatedForm, save, *, file_field=None):
    """The result of the service call `save()`; None when a rule said no, with the
    messages next to their fields (a refused file's next to `file_field`)."""
    try:
        return save()
    except InvalidFields as error:
        for message in apply_errors(form, error.errors).values():
            flash(str(message), "error")
    except RefusedFile as error:
        if file_field is None:
            flash(str(error.message), "error")
        else:
            file_field.errors = [*file_field.errors, error.message]
    return None
