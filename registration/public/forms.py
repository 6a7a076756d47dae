"""The sign-up form and the forms on a person's private registration page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Optional, ValidationError

from ..forms import EmailAddress, Form, PersonName, SubForm, max_length, required, strip
from ..i18n import clock
from ..models import Event, Question
from ..places import OTHER, configured_places
from ..services import DomainError, answers
from ..services.booking import SignUpDetails
from ..services.groups import CompanionDetails
from ..services.phone import normalise_phone
from ..services.seats import MAX_COMPANIONS
from .answer_fields import answers_form
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


def _place_choices() -> list[tuple[str, str]]:
    return (
        [("", _l("— choose —"))]
        + [(place, place) for place in configured_places()]
        + [(OTHER, _l("Other (write below)"))]
    )


class CompanionForm(SubForm):
    """One person coming with the one who fills in the form; an empty block is ignored."""

    first_name = StringField(_l("First name"), filters=[strip], validators=[PersonName()])
    last_name = StringField(_l("Last name"), filters=[strip], validators=[PersonName()])
    email = StringField(
        _l("Email (optional)"),
        filters=[strip],
        validators=[Optional(), max_length(254), EmailAddress()],
    )
    place = SelectField(_l("Where does this person live?"), validate_choice=False)
    place_other = StringField(_l("Other place"), filters=[strip], validators=[max_length(120)])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.place.choices = _place_choices()

    @property
    def is_blank(self) -> bool:
        filled = (self.first_name.data, self.last_name.data, self.email.data, self.place.data,
                  self.place_other.data)  # fmt: skip
        answered = "answers" in self and not self.answers.form.is_blank
        return not (any(filled) or answered)

    def validate(self, extra_validators=None) -> bool:
        if self.is_blank:
            return True
        ok = super().validate(extra_validators)
        for name, message in (
            ("first_name", _l("Please write the first name.")),
            ("last_name", _l("Please write the last name.")),
        ):
            if not self[name].data:
                self[name].errors = [*self[name].errors, message]
                ok = False
        if self.place.data not in {value for value, _label in self.place.choices} or not (
            self.place.data
        ):
            self.place.errors = [*self.place.errors, _l("Please choose where this person lives.")]
            ok = False
        elif self.place.data == OTHER and not self.place_other.data:
            self.place_other.errors = [
                *self.place_other.errors,
                _l("Please write where this person lives."),
            ]
            ok = False
        return ok

    def to_command(self) -> CompanionDetails:
        return CompanionDetails(
            first_name=self.first_name.data,
            last_name=self.last_name.data,
            email=self.email.data or "",
            place=self.place.data,
            place_other=self.place_other.data or "",
            answers=self.answers.form.values() if "answers" in self else {},
        )


def sign_up_form(event: Event, language: str, **kwargs) -> SignUpForm:
    """The sign-up form of `event`: its questions in `language`, and as many companion blocks
    as it allows (each shown folded; the page works without JavaScript)."""
    return _sign_up_form_class(event, language)(event, **kwargs)


#: Form classes made for an event's questions, by what they are made from: making one per
#: request costs more than the rest of reading the form.
_FORM_CLASSES: dict[tuple, type[SignUpForm]] = {}
_FORM_CLASSES_KEPT = 200


def _question_key(questions: list[Question]) -> tuple:
    return tuple(
        (q.id, q.kind, q.label_lv, q.label_en, q.help_lv, q.help_en, q.is_required,
         q.asks_each_person, q.min_value, q.max_value,
         tuple((c.id, c.label_lv, c.label_en) for c in q.offered_choices)
         if q.kind.has_choices else ())
        for q in questions
    )  # fmt: skip


def _sign_up_form_class(event: Event, language: str) -> type[SignUpForm]:
    questions = answers.questions_for(event)
    companions = min(event.max_companions, MAX_COMPANIONS)
    key = (language, companions, _question_key(questions))
    form_class = _FORM_CLASSES.get(key)
    if form_class is not None:
        return form_class
    extra = {}
    if questions:
        extra["answers"] = FormField(answers_form(questions, language))
    if companions:
        companion_form = CompanionForm
        per_person = answers.questions_for(event, companion=True)
        if per_person:
            companion_form = type(
                "EventCompanionForm",
                (CompanionForm,),
                {"answers": FormField(answers_form(per_person, language))},
            )
        extra["companions"] = FieldList(
            FormField(companion_form), min_entries=companions, max_entries=companions
        )
    form_class = type("EventSignUpForm", (SignUpForm,), extra) if extra else SignUpForm
    if len(_FORM_CLASSES) >= _FORM_CLASSES_KEPT:
        _FORM_CLASSES.clear()
    _FORM_CLASSES[key] = form_class
    return form_class


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
        self.place.choices = _place_choices()
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
            answers=self.answers.form.values() if "answers" in self else {},
            companions=tuple(
                entry.form.to_command()
                for entry in (self.companions if "companions" in self else ())
                if not entry.form.is_blank
            ),
        )

    def show_answer_errors(self, errors: dict[int, str]) -> None:
        """Put the booking rules' messages about answers next to their questions."""
        _show_answer_errors(self, errors)

    def show_companion_error(self, index: int, field: str, message: str) -> None:
        """Put a group rule's message next to the companion's field (`index` counts the
        filled-in companion blocks)."""
        filled = [entry.form for entry in self.companions if not entry.form.is_blank]
        target = filled[index][field]
        target.errors = [*target.errors, message]

    @property
    def companion_count(self) -> int:
        """How many companion blocks were filled in (for a group's outcome)."""
        if "companions" not in self:
            return 0
        return sum(not entry.form.is_blank for entry in self.companions)


def _show_answer_errors(form, errors: dict[int, str]) -> None:
    for question_id, message in errors.items():
        name = f"q{question_id}"
        if "answers" in form and name in form.answers.form:
            field = form.answers.form[name]
            field.errors = [*field.errors, message]
        else:
            form.form_errors.append(message)


class AnswersChangeForm(Form):
    """A person's answers on their private page; made per registration by `change_answers_form`."""

    def to_command(self) -> dict:
        return self.answers.form.values()

    def show_answer_errors(self, errors: dict[int, str]) -> None:
        _show_answer_errors(self, errors)


def change_answers_form(questions, language: str, **kwargs) -> AnswersChangeForm:
    form_class = type(
        "EventAnswersChangeForm",
        (AnswersChangeForm,),
        {"answers": FormField(answers_form(questions, language))},
    )
    return form_class(**kwargs)


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
