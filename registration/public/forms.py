"""The sign-up form and the forms on a person's private registration page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional, ValidationError

from ..forms import EmailAddress, Form, PersonName, max_length, required, strip
from ..i18n import clock
from ..models import Event
from ..places import OTHER, configured_places
from ..services import DomainError
from ..services.booking import SignUpDetails
from ..services.phone import normalise_phone
from .bot_signals import new_stamp


class PhoneNumber:
    def __call__(self, form, field) -> None:
        try:
            normalise_phone(field.data or "")
        except DomainError as error:
            raise ValidationError(error.message) from None


def _pickup_choices(event: Event) -> list[tuple[str, str]]:
    return [
        (str(stop.id), f"{stop.place}, {clock(stop.departs_at)}") for stop in event.pickup_stops
    ]


def pickup_stop_field() -> RadioField:
    return RadioField(_l("Where will you get on the bus?"), choices=[], validate_choice=True)


def phone_field() -> StringField:
    return StringField(
        _l("Phone"), filters=[strip], validators=[Optional(), max_length(40), PhoneNumber()]
    )


class _EventBoundForm(Form):
    """A form whose choices depend on the event (pickup stops, phone rule). Subclasses declare
    `phone` and `pickup_stop` where they stand on the page: fields (and so the error summary)
    keep the order of their declaration."""

    def __init__(self, event: Event, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.event = event
        if event.is_trip and event.pickup_stops:
            self.pickup_stop.choices = _pickup_choices(event)
            self.pickup_stop.validators = [
                required(_l("Please choose where you will get on the bus."))
            ]
        else:
            del self.pickup_stop
        if event.requires_phone:
            self.phone.validators = [
                required(_l("Please give a phone number: the organisers may need to call you.")),
                max_length(40),
                PhoneNumber(),
            ]
            self.phone.flags.required = True

    @property
    def pickup_stop_id(self) -> int | None:
        if "pickup_stop" in self and self.pickup_stop.data:
            return int(self.pickup_stop.data)
        return None


class SignUpForm(_EventBoundForm):
    first_name = StringField(
        _l("First name"), filters=[strip], validators=[required(), PersonName()]
    )
    last_name = StringField(_l("Last name"), filters=[strip], validators=[required(), PersonName()])
    email = StringField(
        _l("Email"), filters=[strip], validators=[required(), max_length(254), EmailAddress()]
    )
    phone = phone_field()
    place = SelectField(
        _l("Where do you live?"),
        validators=[required(_l("Please choose where you live."))],
    )
    # No Optional() here: it would stop the chain before validate_place_other runs.
    place_other = StringField(_l("Other place"), filters=[strip], validators=[max_length(120)])
    organisation = StringField(
        _l("Organisation (if you represent one)"),
        filters=[strip],
        validators=[Optional(), max_length(200)],
    )
    pickup_stop = pickup_stop_field()
    needs = TextAreaField(
        _l("Anything we should know? (access, diet)"),
        filters=[strip],
        validators=[Optional(), max_length(1000)],
    )
    comment = TextAreaField(
        _l("Comment or question"), filters=[strip], validators=[Optional(), max_length(2000)]
    )
    consent = BooleanField(
        _l("I have read the privacy notice."),
        validators=[required(_l("Please confirm that you have read the privacy notice."))],
    )
    photo_opt_out = BooleanField(_l("Please do not photograph or film me at the event."))
    wants_news = BooleanField(_l("You may email me about future events of the organisation."))
    #: Left empty by people; bots that fill every field are quietly ignored.
    website = StringField(_l("Leave this field empty"))
    #: When the form was shown, signed (see `bot_signals`); sent back as it came.
    stamp = HiddenField()

    def __init__(self, event: Event, *args, **kwargs) -> None:
        super().__init__(event, *args, **kwargs)
        self.place.choices = (
            [("", _l("— choose —"))]
            + [(place, place) for place in configured_places()]
            + [(OTHER, _l("Other (write below)"))]
        )
        if not self.is_submitted():
            self.stamp.data = new_stamp()

    def validate_place_other(self, field) -> None:
        if self.place.data == OTHER and not field.data:
            raise ValidationError(_l("Please write where you live."))

    def to_command(self, *, language: str, notice_version: str) -> SignUpDetails:
        """The validated form as the booking rules take it."""
        return SignUpDetails(
            first_name=self.first_name.data,
            last_name=self.last_name.data,
            email=self.email.data,
            phone=self.phone.data or "",
            place=self.place.data,
            place_other=self.place_other.data or "",
            organisation=self.organisation.data or "",
            pickup_stop_id=self.pickup_stop_id,
            needs=self.needs.data or "",
            comment=self.comment.data or "",
            photo_opt_out=self.photo_opt_out.data,
            wants_news=self.wants_news.data,
            language=language,
            consent_notice_version=notice_version,
        )


class ChangeDetailsForm(_EventBoundForm):
    """What a person may change on their private page."""

    phone = phone_field()
    pickup_stop = pickup_stop_field()
    needs = TextAreaField(
        _l("Anything we should know? (access, diet)"),
        filters=[strip],
        validators=[Optional(), max_length(1000)],
    )

    def to_command(self) -> dict:
        """The changed details as `booking.update_details` takes them."""
        fields = {"phone": self.phone.data or "", "needs": self.needs.data or ""}
        if "pickup_stop" in self:
            fields["pickup_stop_id"] = self.pickup_stop_id
        return fields


class ConfirmForm(Form):
    """A form with only the CSRF token: for buttons that change something (POST only)."""
