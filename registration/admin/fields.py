"""Back-office form fields that convert what is typed: numbers, dates, times, ids, choices.

Each converting field takes text and gives back a value or one translated message; a box whose
text could not be converted shows that message and no other. Times are typed as Riga
wall-clock time and handed on as aware UTC.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time

from flask import current_app
from flask_babel import lazy_gettext as _l
from wtforms import Field, HiddenField, RadioField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation, ValidationError
from wtforms.widgets import DateInput, DateTimeLocalInput, NumberInput, TextInput, TimeInput

from ..forms import strip
from ..timeutil import RIGA, to_riga

#: Every text field is trimmed and loses control characters (see registration.forms.strip).
STRIP = [strip]


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


def place_choices(blank_label) -> list[tuple[str, str]]:
    places = [(p, p) for p in current_app.config["PLACES"]]
    return [("", str(blank_label)), *places]
