"""Organisers set an event's own questions: add, edit, move up or down, remove; a copied
event gets copies of them. The same goes for the questions of its feedback form
(`Question.form`), which may be numbers, texts or yes/no.

Questions and choices are never deleted: removing one sets `removed_at`, so the answers given
keep their wording in exports, and an edited choice keeps the people who picked it (answers
point at the choice's row, see models/question.py). A question's kind is fixed once made:
answers of one kind cannot be read as another. Each change is one unit of work with its audit
entry (the event's change, field "questions").
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _

from ..extensions import db
from ..models import (
    AuditAction,
    Event,
    Organiser,
    Question,
    QuestionChoice,
    QuestionForm,
    QuestionKind,
)
from ..timeutil import now_utc
from . import NotFound, answers, audit, unit_of_work
from .event_details import InvalidEvent

#: Questions one event may ask, and choices one question may offer.
MAX_QUESTIONS = 30
MAX_CHOICES = 30
#: Kinds a feedback form may ask (its answers are numbers, texts or yes/no).
FEEDBACK_KINDS = (
    QuestionKind.NUMBER,
    QuestionKind.SHORT_TEXT,
    QuestionKind.LONG_TEXT,
    QuestionKind.YES_NO,
)


@dataclass
class ChoiceDetails:
    label_lv: str
    label_en: str = ""
    #: The existing choice this row edits; None for a new one.
    id: int | None = None


@dataclass
class QuestionDetails:
    kind: QuestionKind
    label_lv: str
    label_en: str = ""
    help_lv: str = ""
    help_en: str = ""
    is_required: bool = False
    asks_each_person: bool = False
    min_value: int | None = None
    max_value: int | None = None
    choices: list[ChoiceDetails] = field(default_factory=list)


def get_question(question_id: int) -> Question | None:
    return db.session.get(Question, question_id)


def details_of(question: Question) -> QuestionDetails:
    return QuestionDetails(
        kind=question.kind,
        label_lv=question.label_lv,
        label_en=question.label_en,
        help_lv=question.help_lv,
        help_en=question.help_en,
        is_required=question.is_required,
        asks_each_person=question.asks_each_person,
        min_value=question.min_value,
        max_value=question.max_value,
        choices=[
            ChoiceDetails(c.label_lv, c.label_en, c.id)
            for c in question.choices
            if not c.removed_at
        ],
    )


def check(details: QuestionDetails) -> dict[str, str]:
    """Every rule the details break, as field -> sentence."""
    errors = {}
    if not details.label_lv.strip():
        errors["label_lv"] = _("Write the question in Latvian.")
    if details.kind.has_choices and not details.choices:
        errors["choices"] = _("Give at least one choice.")
    if len(details.choices) > MAX_CHOICES:
        errors["choices"] = _("A question can offer at most %(num)d choices.", num=MAX_CHOICES)
    low, high = details.min_value, details.max_value
    bounds = (answers.NUMBER_LOWEST, answers.NUMBER_HIGHEST)
    if details.kind is QuestionKind.NUMBER:
        if any(v is not None and not bounds[0] <= v <= bounds[1] for v in (low, high)):
            errors["min_value"] = _("Use numbers between minus and plus one billion.")
        elif low is not None and high is not None and low > high:
            errors["max_value"] = _("The largest number cannot be smaller than the smallest.")
    return errors


def _locked(event_id: int) -> Event:
    event = db.session.scalar(
        sa.select(Event)
        .where(Event.id == event_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if event is None:
        raise NotFound(_("This event was not found."))
    return event


def _question_of(question_id: int) -> tuple[Question, Event]:
    question = get_question(question_id)
    if question is None or question.is_removed:
        raise NotFound(_("This question was not found."))
    return question, _locked(question.event_id)


def _apply(question: Question, details: QuestionDetails) -> None:
    question.label_lv = details.label_lv.strip()
    question.label_en = details.label_en.strip()
    question.help_lv = details.help_lv.strip()
    question.help_en = details.help_en.strip()
    question.is_required = details.is_required
    question.asks_each_person = details.asks_each_person
    is_number = question.kind is QuestionKind.NUMBER
    question.min_value = details.min_value if is_number else None
    question.max_value = details.max_value if is_number else None
    if question.kind.has_choices:
        _apply_choices(question, details.choices)


def _apply_choices(question: Question, rows: list[ChoiceDetails]) -> None:
    """Edit choices in place (a renamed choice keeps its answers), add new ones, and mark
    those left out as removed; the order is the rows' order."""
    existing = {c.id: c for c in question.choices if c.removed_at is None}
    for position, row in enumerate(rows, start=1):
        choice = existing.pop(row.id, None) if row.id is not None else None
        if choice is None:
            choice = QuestionChoice(label_lv="")
            question.choices.append(choice)
        choice.position = position
        choice.label_lv, choice.label_en = row.label_lv.strip(), row.label_en.strip()
    now = now_utc()
    for position, choice in enumerate(existing.values(), start=len(rows) + 1):
        choice.removed_at, choice.position = now, position


def _record(event: Event, actor: Organiser | None) -> None:
    audit.record(AuditAction.EVENT_CHANGED, actor, event=event, fields=["questions"])


def _form_questions(event: Event, form: QuestionForm) -> list[Question]:
    return event.questions if form is QuestionForm.SIGNUP else event.feedback_questions


def add_question(
    event_id: int,
    details: QuestionDetails,
    *,
    actor: Organiser | None,
    form: QuestionForm = QuestionForm.SIGNUP,
) -> Question:
    with unit_of_work():
        event = _locked(event_id)
        errors = check(details)
        existing = _form_questions(event, form)
        if sum(q.removed_at is None for q in existing) >= MAX_QUESTIONS:
            errors["form"] = _("An event can ask at most %(num)d questions.", num=MAX_QUESTIONS)
        if form is QuestionForm.FEEDBACK and details.kind not in FEEDBACK_KINDS:
            errors["kind"] = _("A feedback question is answered with a number, text or yes/no.")
        if errors:
            raise InvalidEvent(errors)
        position = max((q.position for q in existing), default=0) + 1
        question = Question(kind=details.kind, position=position, label_lv="", form=form)
        if form is QuestionForm.SIGNUP:
            event.questions.append(question)
        else:
            question.event_id = event.id
            db.session.add(question)
        _apply(question, details)
        _record(event, actor)
    return question


def update_question(
    question_id: int, details: QuestionDetails, *, actor: Organiser | None
) -> Question:
    with unit_of_work():
        question, event = _question_of(question_id)
        details.kind = question.kind
        errors = check(details)
        if errors:
            raise InvalidEvent(errors)
        _apply(question, details)
        _record(event, actor)
    return question


def move_question(question_id: int, step: int, *, actor: Organiser | None) -> None:
    """Move a question one place up (-1) or down (+1) among those asked."""
    with unit_of_work():
        question, event = _question_of(question_id)
        asked = [q for q in _form_questions(event, question.form) if q.removed_at is None]
        index = asked.index(question)
        other = index + (1 if step > 0 else -1)
        if not 0 <= other < len(asked):
            return
        asked[index].position, asked[other].position = asked[other].position, asked[index].position
        _record(event, actor)


def remove_question(question_id: int, *, actor: Organiser | None) -> None:
    """No longer ask it; the answers given stay, under its wording."""
    with unit_of_work():
        question, event = _question_of(question_id)
        question.removed_at = now_utc()
        _record(event, actor)


def copies_of(source: Event) -> list[Question]:
    """Unsaved copies of the questions `source` asks, with their choices, for a copied event."""
    return [
        Question(
            position=n,
            kind=q.kind,
            label_lv=q.label_lv,
            label_en=q.label_en,
            help_lv=q.help_lv,
            help_en=q.help_en,
            is_required=q.is_required,
            asks_each_person=q.asks_each_person,
            min_value=q.min_value,
            max_value=q.max_value,
            choices=[
                QuestionChoice(position=m, label_lv=c.label_lv, label_en=c.label_en)
                for m, c in enumerate(q.offered_choices, start=1)
            ],
        )
        for n, q in enumerate(source.asked_questions, start=1)
    ]
