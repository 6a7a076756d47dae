"""The form of one question: its kind (fixed once made), wording in both languages, rules,
and for a choice question its choices as rows, with blank rows to add more (no JavaScript)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, FieldList, Form, FormField, StringField, TextAreaField

from ..admin_labels import QUESTION_KINDS
from ..forms import Form as TranslatedForm
from ..forms import max_length, required
from ..models import QuestionKind
from ..services.questions import MAX_CHOICES, ChoiceDetails, QuestionDetails, details_of
from .fields import STRIP, Choice, IdField, WholeNumberField, options

BLANK_CHOICES = 3


class ChoiceRow(Form):
    id = IdField()
    label_lv = StringField(_l("Choice in Latvian"), filters=STRIP, validators=[max_length(200)])
    label_en = StringField(_l("Choice in English"), filters=STRIP, validators=[max_length(200)])

    @property
    def is_blank(self) -> bool:
        return not (self.label_lv.data or self.label_en.data)

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if ok and not self.is_blank and not self.label_lv.data:
            self.label_lv.errors.append(str(_l("Write the choice in Latvian.")))
            ok = False
        return ok


class QuestionForm(TranslatedForm):
    kind = Choice(
        _l("Kind of answer"),
        choices=options((kind.value, label) for kind, label in QUESTION_KINDS.items()),
        default=QuestionKind.SHORT_TEXT.value,
    )
    label_lv = StringField(
        _l("Question in Latvian"),
        filters=STRIP,
        validators=[required(_l("Write the question in Latvian.")), max_length(300)],
    )
    label_en = StringField(
        _l("Question in English"),
        filters=STRIP,
        validators=[max_length(300)],
        description=_l("Empty: people using the English page see the Latvian wording."),
    )
    help_lv = TextAreaField(
        _l("Explanation in Latvian"), filters=STRIP, validators=[max_length(500)]
    )
    help_en = TextAreaField(
        _l("Explanation in English"), filters=STRIP, validators=[max_length(500)]
    )
    is_required = BooleanField(_l("An answer is required"))
    asks_each_person = BooleanField(
        _l("Ask each person in a group (for example lunch or the pickup stop)")
    )
    min_value = WholeNumberField(_l("Smallest number"))
    max_value = WholeNumberField(_l("Largest number"))
    choices = FieldList(FormField(ChoiceRow), max_entries=MAX_CHOICES + BLANK_CHOICES)

    def filled_choices(self) -> list[ChoiceRow]:
        return [row.form for row in self.choices if not row.form.is_blank]

    def to_command(self) -> dict:
        return {
            "details": QuestionDetails(
                kind=QuestionKind(self.kind.data),
                label_lv=self.label_lv.data,
                label_en=self.label_en.data or "",
                help_lv=self.help_lv.data or "",
                help_en=self.help_en.data or "",
                is_required=self.is_required.data,
                asks_each_person=self.asks_each_person.data,
                min_value=self.min_value.data,
                max_value=self.max_value.data,
                choices=[
                    ChoiceDetails(row.label_lv.data, row.label_en.data or "", row.id.data)
                    for row in self.filled_choices()
                ],
            )
        }


def question_form_data(question=None) -> dict:
    """Initial values: a new question's defaults, or the question's own, with blank rows."""
    blank = [{}] * BLANK_CHOICES
    if question is None:
        return {"kind": QuestionKind.SHORT_TEXT.value, "choices": blank}
    details = details_of(question)
    return {
        "kind": details.kind.value,
        "label_lv": details.label_lv,
        "label_en": details.label_en,
        "help_lv": details.help_lv,
        "help_en": details.help_en,
        "is_required": details.is_required,
        "asks_each_person": details.asks_each_person,
        "min_value": details.min_value,
        "max_value": details.max_value,
        "choices": [
            {"id": c.id, "label_lv": c.label_lv, "label_en": c.label_en} for c in details.choices
        ]
        + blank,
    }
