"""What every form shares: error messages in the visitor's language and common validators.

WTForms ships no Latvian catalogue, so its own messages are routed through our Babel
catalogue (`Form.Meta.get_translations`) and listed below for extraction.
"""

from __future__ import annotations

import re
import unicodedata

import flask_babel
from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Form as PlainForm
from wtforms.csrf.core import CSRFTokenField
from wtforms.fields import FieldList, FormField, RadioField
from wtforms.validators import DataRequired, Length, ValidationError

# WTForms' built-in messages that our forms can show; listed so that they are translated.
WTFORMS_MESSAGES = (
    _l("This field is required."),
    _l("Not a valid choice."),
    _l("Invalid Choice: could not coerce."),
    _l("Not a valid integer value."),
    _l("Not a valid decimal value."),
    _l("Not a valid date value."),
    _l("Not a valid time value."),
    _l("Not a valid datetime value."),
    _l("Invalid input."),
)


class _BabelTranslations:
    def gettext(self, string: str) -> str:
        return flask_babel.gettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return flask_babel.ngettext(singular, plural, n)


class Form(FlaskForm):
    class Meta:
        def get_translations(self, form):
            return _BabelTranslations()

    def error_list(self) -> list[tuple[str, str, str]]:
        """(field id, label, first message) of every field with an error, nested ones
        (answers, companions) included, in the order of the form."""
        return _errors_of(self)


class SubForm(PlainForm):
    """A form inside another (FormField): translated messages, no CSRF token of its own."""

    class Meta:
        def get_translations(self, form):
            return _BabelTranslations()


def _errors_of(form) -> list[tuple[str, str, str]]:
    found = []
    for field in form:
        if isinstance(field, FormField):
            found += _errors_of(field.form)
        elif isinstance(field, FieldList):
            for entry in field.entries:
                found += _errors_of(entry.form) if isinstance(entry, FormField) else []
        elif field.errors and not isinstance(field, CSRFTokenField):
            # A group of radio buttons is reached at its first button.
            target = f"{field.id}-0" if isinstance(field, RadioField) else field.id
            found.append((target, str(field.label.text), str(field.errors[0])))
    return found


def required(message=None) -> DataRequired:
    return DataRequired(message=message or _l("Please fill in this field."))


def max_length(limit: int) -> Length:
    return Length(max=limit, message=_l("Please use at most %(max)d characters."))


class EmailAddress:
    """A syntactically valid address (no DNS look-up: it must work offline and fast)."""

    def __call__(self, form, field) -> None:
        if not field.data:
            return
        address = field.data.strip()
        if not address.partition("@")[0].isascii():
            # Few mail servers accept such addresses (SMTPUTF8); the message would fail later.
            raise ValidationError(
                _l(
                    "Please write the part before @ without diacritics, for example janis@example.lv."
                )
            )
        try:
            validate_email(address, check_deliverability=False, allow_smtputf8=False)
        except EmailNotValidError:
            raise ValidationError(
                _l("Please enter a valid email address, for example vards@example.lv.")
            ) from None


#: Control characters nobody types on purpose; PostgreSQL refuses NUL outright.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def strip(value):
    """Trim text and drop control characters (line breaks and tabs stay)."""
    return _CONTROL.sub("", value).strip() if isinstance(value, str) else value


#: The longest first name or surname accepted; real ones are far shorter, spam is not.
NAME_MAX_LENGTH = 60
#: Besides letters (of any script, with their accents): spaces, hyphens, apostrophes, dots.
_NAME_MARKS = frozenset(" -\u2010'\u2019\u02bc.")
#: A dot between letters, as in a web address ("spam.example"); initials ("J.R.") pass.
_DOMAIN_LIKE = re.compile(r"[^\W\d_]\.[^\W\d_]{2,}")


def name_problem(text: str) -> str | None:
    """Why `text` cannot be a person's first name or surname, or None when it can.

    Letters of any script, spaces, hyphens, apostrophes and dots: „Jānis Bērziņš",
    „Anna-Marija O'Brien", „Алексей", „Žydrūnė" pass; digits, `@` and anything that looks
    like a link do not, so a name can never carry an advertisement into an email.
    """
    text = unicodedata.normalize("NFC", text or "")
    if len(text) > NAME_MAX_LENGTH:
        return _l("Please use at most %(max)d characters.", max=NAME_MAX_LENGTH)
    if "@" in text or "://" in text or _DOMAIN_LIKE.search(text):
        return _l("Please write only the name, without web or email addresses.")
    if any(char.isdigit() for char in text):
        return _l("A name cannot contain digits.")
    for char in text:
        if not (char.isalpha() or char in _NAME_MARKS or unicodedata.category(char)[0] == "M"):
            return _l("Please use only letters, spaces, hyphens, apostrophes and dots.")
    if not any(char.isalpha() for char in text):
        return _l("Please write the name in letters.")
    return None


class PersonName:
    """A first name or surname, on the public form and in the back office alike."""

    def __call__(self, form, field) -> None:
        if field.data and (problem := name_problem(field.data)):
            raise ValidationError(problem)
