"""Form fields for an event's own questions, one field per question, made per event.

`answers_form(questions, language)` makes a small form class with a field `q<id>` for each
question, in the person's language; `AnswersForm.values()` gives the answers as the services
take them (services/answers.py). Each field meets bad input with one translated message next
to it: a choice that is not offered, thousands of checkboxes posted at once, a number out of
range, a date typed some other way.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from wtforms import (
    Field,
    RadioField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation, ValidationError
from wtforms.widgets import CheckboxInput, DateInput, ListWidget, NumberInput, TextInput

from ..forms import SubForm, max_length, strip
from ..models import Question, QuestionKind
from ..services import answers
from ..services.answers import AnswerValue

YES, NO = "yes", "no"


class _Typed(Field):
    """A box typed as text and converted; an empty box gives None, bad text one message."""

    widget = TextInput()
    invalid_message = _l("This value is not valid.")

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else self.format(self.data)

    def process_formdata(self, valuelist: list[str]) -> None:
        text = strip(valuelist[0]) if valuelist else ""
        self.data = None
        if text:
            try:
                self.data = self.parse(text)
            except ValueError:
                raise ValueError(str(self.invalid_message)) from None

    def pre_validate(self, form) -> None:
        if self.process_errors:
            raise StopValidation()

    def format(self, value) -> str:
        return str(value)

    def parse(self, text: str):
        return text


class NumberAnswer(_Typed):
    widget = NumberInput()
    invalid_message = _l("Please enter a whole number.")

    def parse(self, text: str) -> int:
        if not re.fullmatch(r"[+-]?\d{1,10}", text):
            raise ValueError(text)
        return int(text)


class DateAnswer(_Typed):
    """A day as the browser's date box sends it (2026-09-24) or as typed in Latvia
    (24.09.2026 or 24.09.2026.)."""

    widget = DateInput()
    invalid_message = _l("Please enter a date as day.month.year, for example 24.09.2026.")
    formats = ("%Y-%m-%d", "%d.%m.%Y")

    def format(self, value: date) -> str:
        return value.isoformat()

    def parse(self, text: str) -> date:
        text = text.removesuffix(".").replace(" ", "")
        for pattern in self.formats:
            try:
                day = datetime.strptime(text, pattern).date()
            except ValueError:
                continue
            if answers.FIRST_DAY <= day <= answers.LAST_DAY:
                return day
        raise ValueError(text)


class _Range:
    def __init__(self, low: int, high: int) -> None:
        self.low, self.high = low, high

    def __call__(self, form, field) -> None:
        if field.data is not None and not self.low <= field.data <= self.high:
            raise ValidationError(
                _l("Please enter a number from %(low)s to %(high)s.", low=self.low, high=self.high)
            )


class _Picked:
    """A choice field's answer: required or not, and only what was offered, each once."""

    def __init__(self, is_required: bool, message) -> None:
        self.is_required, self.message = is_required, message

    def __call__(self, form, field) -> None:
        picked = field.data if isinstance(field.data, list) else [field.data]
        picked = [value for value in picked if value not in (None, "")]
        if not picked:
            if self.is_required:
                raise StopValidation(str(self.message))
            raise StopValidation()
        offered = {choice.value for choice in field.choices}
        if len(set(picked)) != len(picked) or not set(picked) <= offered:
            raise StopValidation(str(_l("Please choose from the options offered.")))


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes; the choices are checked by `_Picked`."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form) -> None:
        return None


class OptionalRadioField(RadioField):
    """Radio buttons whose choice is checked by `_Picked` (an optional question may stay
    unanswered, which RadioField alone refuses)."""

    def pre_validate(self, form) -> None:
        return None


class _Presence:
    """An empty box: a message when the question is required, else no further checks
    (wtforms' DataRequired would take the number 0 for empty)."""

    def __init__(self, is_required: bool) -> None:
        self.is_required = is_required
        self.field_flags = {"required": True} if is_required else {"optional": True}

    def __call__(self, form, field) -> None:
        if field.data in (None, "", []):
            if self.is_required:
                raise StopValidation(str(_l("Please answer this question.")))
            raise StopValidation()


def _presence(question: Question) -> _Presence:
    return _Presence(question.is_required)


def _field(question: Question, language: str) -> Field:
    label, hint = question.label(language), question.help(language)
    kind = question.kind
    common = {"label": label, "description": hint}
    if kind is QuestionKind.SHORT_TEXT:
        return StringField(
            **common,
            filters=[strip],
            validators=[_presence(question), max_length(answers.SHORT_TEXT_MAX)],
        )
    if kind is QuestionKind.LONG_TEXT:
        return TextAreaField(
            **common,
            filters=[strip],
            validators=[_presence(question), max_length(answers.LONG_TEXT_MAX)],
        )
    if kind is QuestionKind.NUMBER:
        low, high = answers.number_bounds(question)
        return NumberAnswer(**common, validators=[_presence(question), _Range(low, high)])
    if kind is QuestionKind.DATE:
        return DateAnswer(**common, validators=[_presence(question)])
    if kind is QuestionKind.YES_NO:
        choices = [SelectChoice(YES, _l("Yes")), SelectChoice(NO, _l("No"))]
        message = _l("Please answer yes or no.")
    else:
        choices = [SelectChoice(str(c.id), c.label(language)) for c in question.offered_choices]
        message = (
            _l("Please choose one of the options.")
            if kind is QuestionKind.ONE_CHOICE
            else _l("Please choose at least one option.")
        )
    field_class = CheckboxesField if kind is QuestionKind.SEVERAL_CHOICES else OptionalRadioField
    return field_class(
        **common, choices=choices, validators=[_Picked(question.is_required, message)]
    )


class AnswersForm(SubForm):
    """The answers of one person; made per event by `answers_form`."""

    #: Field name -> (question id, kind): plain values, as the class outlives the request
    #: whose database session loaded the questions.
    questions: dict[str, tuple[int, QuestionKind]] = {}

    def values(self) -> dict[int, AnswerValue]:
        """The answers as the services take them, by question id."""
        return {
            question_id: _value(kind, self[name].data)
            for name, (question_id, kind) in self.questions.items()
        }

    @property
    def is_blank(self) -> bool:
        return all(self[name].data in (None, "", [], ()) for name in self.questions)


def _value(kind: QuestionKind, data) -> AnswerValue:
    if data in (None, "", []):
        return None
    if kind is QuestionKind.YES_NO:
        return data == YES
    if kind is QuestionKind.ONE_CHOICE:
        return int(data)
    if kind is QuestionKind.SEVERAL_CHOICES:
        return tuple(int(value) for value in data)
    return data


def form_data(question: Question, value: AnswerValue):
    """A stored answer as its field shows it (to fill the form on the private page)."""
    if value is None:
        return None
    if question.kind is QuestionKind.YES_NO:
        return YES if value else NO
    if question.kind is QuestionKind.ONE_CHOICE:
        return str(value)
    if question.kind is QuestionKind.SEVERAL_CHOICES:
        return [str(v) for v in value]
    return value


def answers_form(questions: list[Question], language: str) -> type[AnswersForm]:
    """A form class asking `questions` in `language`."""
    fields = {f"q{q.id}": _field(q, language) for q in questions}
    return type(
        "EventAnswersForm",
        (AnswersForm,),
        {**fields, "questions": {f"q{q.id}": (q.id, q.kind) for q in questions}},
    )
