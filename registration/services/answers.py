"""Answers to an event's own questions: checked, stored, read back, counted.

An answer comes in as a plain value by question id: text (str), a number (int), a date, yes or
no (bool), a choice's id (int) or several (a tuple of ids); None or an empty value is no
answer. The forms check the same rules field by field, so people see a message next to the
field; the rules here are the backstop for anything else that calls the service, and refuse
an answer to a question of another event, a choice a question does not offer, or a number out
of its range.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Answer, Event, Question, QuestionKind, Registration, RegistrationStatus
from ..models.question import answer_choice
from . import DomainError

AnswerValue = str | int | bool | date | tuple[int, ...] | None

#: The longest text answers, in characters.
SHORT_TEXT_MAX = 300
LONG_TEXT_MAX = 3000
#: Numbers stay within the database's integer whatever bounds an organiser sets.
NUMBER_LOWEST, NUMBER_HIGHEST = -1_000_000_000, 1_000_000_000
#: Dates people may give (a birth date or an arrival day, not a typo's year 20206).
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2100, 12, 31)


class InvalidAnswers(DomainError):
    """Answers break the questions' rules; `errors` maps question ids to sentences."""

    def __init__(self, errors: dict[int, str]) -> None:
        super().__init__(next(iter(errors.values())))
        self.errors = errors


def questions_for(event: Event, *, companion: bool = False) -> list[Question]:
    """The questions asked now, in order; a companion is asked only those for each person."""
    return [q for q in event.asked_questions if q.asks_each_person or not companion]


def number_bounds(question: Question) -> tuple[int, int]:
    low = NUMBER_LOWEST if question.min_value is None else question.min_value
    high = NUMBER_HIGHEST if question.max_value is None else question.max_value
    return max(low, NUMBER_LOWEST), min(high, NUMBER_HIGHEST)


def _is_empty(value: AnswerValue) -> bool:
    return value is None or value == "" or value == ()


def _problem(question: Question, value: AnswerValue) -> str | None:
    """Why `value` is no answer to `question`, or None. `value` is not empty."""
    kind = question.kind
    if kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
        limit = SHORT_TEXT_MAX if kind is QuestionKind.SHORT_TEXT else LONG_TEXT_MAX
        if not isinstance(value, str):
            return _l("Please answer with text.")
        if len(value) > limit:
            return _l("Please use at most %(max)d characters.", max=limit)
    elif kind is QuestionKind.YES_NO:
        if not isinstance(value, bool):
            return _l("Please answer yes or no.")
    elif kind is QuestionKind.NUMBER:
        low, high = number_bounds(question)
        if isinstance(value, bool) or not isinstance(value, int):
            return _l("Please enter a whole number.")
        if not low <= value <= high:
            return _l("Please enter a number from %(low)s to %(high)s.", low=low, high=high)
    elif kind is QuestionKind.DATE:
        if not isinstance(value, date) or not FIRST_DAY <= value <= LAST_DAY:
            return _l("Please enter a date as day.month.year, for example 24.09.2026.")
    else:
        return _choice_problem(question, value)
    return None


def problem(question: Question, value: AnswerValue) -> str | None:
    """Why `value` breaks `question`'s rules, or None (an empty value is no problem here):
    the same check for any form that asks these questions (the feedback form too)."""
    return None if _is_empty(value) else _problem(question, value)


def _choice_problem(question: Question, value: AnswerValue) -> str | None:
    offered = {choice.id for choice in question.offered_choices}
    picked = value if isinstance(value, tuple) else (value,)
    if question.kind is QuestionKind.ONE_CHOICE and len(picked) != 1:
        return _l("Please choose one of the options.")
    if len(set(picked)) != len(picked) or not set(picked) <= offered:
        return _l("Please choose from the options offered.")
    return None


def checked_answers(
    event: Event,
    given: Mapping[int, AnswerValue],
    *,
    companion: bool = False,
    by_organiser: bool = False,
) -> dict[int, AnswerValue]:
    """The answers to store, by question id; InvalidAnswers when any breaks a rule.

    An answer to a question of another event is refused; one to a question removed meanwhile
    is left out (the form was older than the change). Organisers may leave required questions
    unanswered (a phone sign-up does not always ask them).
    """
    asked = {q.id: q for q in questions_for(event, companion=companion)}
    known = {q.id for q in event.questions}
    if set(given) - known:
        raise DomainError(_l("The answers do not belong to this event's questions."))
    errors: dict[int, str] = {}
    values: dict[int, AnswerValue] = {}
    for question_id, question in asked.items():
        value = given.get(question_id)
        if _is_empty(value):
            if question.is_required and not by_organiser:
                errors[question_id] = _l("Please answer this question.")
            continue
        problem = _problem(question, value)
        if problem:
            errors[question_id] = problem
        else:
            values[question_id] = value
    if errors:
        raise InvalidAnswers(errors)
    return values


def _fill(answer: Answer, question: Question, value: AnswerValue) -> None:
    kind = question.kind
    answer.text, answer.number, answer.day, answer.flag = "", None, None, None
    if kind.has_choices:
        picked = set(value if isinstance(value, tuple) else (value,))
        answer.choices = [c for c in question.choices if c.id in picked]
    elif kind is QuestionKind.YES_NO:
        answer.flag = bool(value)
    elif kind is QuestionKind.NUMBER:
        answer.number = int(value)
    elif kind is QuestionKind.DATE:
        answer.day = value
    else:
        answer.text = str(value).strip()


def store(
    registration: Registration, questions: Iterable[Question], values: Mapping[int, AnswerValue]
) -> bool:
    """Set the registration's answers to `questions` to `values` (a question left out of
    `values` loses its answer); answers to other questions stay. Returns whether anything
    changed. Call inside a unit of work."""
    current = {answer.question_id: answer for answer in registration.answers}
    changed = False
    for question in questions:
        answer = current.get(question.id)
        value = values.get(question.id)
        if value is None:
            if answer is not None:
                registration.answers.remove(answer)
                changed = True
            continue
        if answer is not None and raw_value(answer) == value:
            continue
        if answer is None:
            answer = Answer(question_id=question.id, question=question)
            registration.answers.append(answer)
        _fill(answer, question, value)
        changed = True
    return changed


def raw_value(answer: Answer) -> AnswerValue:
    """The answer as the forms and `checked_answers` take it."""
    kind = answer.question.kind
    if kind is QuestionKind.ONE_CHOICE:
        return answer.choices[0].id if answer.choices else None
    if kind is QuestionKind.SEVERAL_CHOICES:
        return tuple(choice.id for choice in answer.choices)
    if kind is QuestionKind.YES_NO:
        return answer.flag
    if kind is QuestionKind.NUMBER:
        return answer.number
    if kind is QuestionKind.DATE:
        return answer.day
    return answer.text


def values_of(registration: Registration) -> dict[int, AnswerValue]:
    return {answer.question_id: raw_value(answer) for answer in registration.answers}


# -- reading ---------------------------------------------------------------------------------


def display(answer: Answer | None, language: str) -> str | int:
    """An answer as people read it: the choices' current labels, "yes"/"no", 24.09.2026."""
    if answer is None:
        return ""
    kind = answer.question.kind
    if kind.has_choices:
        return ", ".join(choice.label(language) for choice in answer.choices)
    if kind is QuestionKind.YES_NO:
        if answer.flag is None:
            return ""
        return str(_l("yes") if answer.flag else _l("no"))
    if kind is QuestionKind.NUMBER:
        return "" if answer.number is None else answer.number
    if kind is QuestionKind.DATE:
        return format_date(answer.day, "dd.MM.yyyy") if answer.day else ""
    return answer.text


def by_registration(registration_ids: Iterable[int]) -> dict[int, dict[int, Answer]]:
    """registration id -> question id -> answer, choices and questions loaded, in one go."""
    ids = list(registration_ids)
    found: dict[int, dict[int, Answer]] = defaultdict(dict)
    if not ids:
        return found
    for start in range(0, len(ids), 5000):
        query = (
            sa.select(Answer)
            .where(Answer.registration_id.in_(ids[start : start + 5000]))
            .options(selectinload(Answer.choices), selectinload(Answer.question))
        )
        for answer in db.session.scalars(query):
            found[answer.registration_id][answer.question_id] = answer
    return found


def texts_by_registration(
    event: Event, registration_ids: Iterable[int], language: str
) -> dict[int, list[tuple[str, str]]]:
    """registration id -> (question, answer) as people read them, in the questions' order
    (removed questions last, under their wording), unanswered ones left out."""
    questions = answered_questions(event)
    found = by_registration(registration_ids)
    return {
        registration_id: [
            (q.label(language), str(display(given[q.id], language)))
            for q in questions
            if q.id in given and display(given[q.id], language) != ""
        ]
        for registration_id, given in found.items()
    }


def answered_questions(event: Event) -> list[Question]:
    """The questions a table shows: those asked now, in order, then removed ones that have
    answers, under their wording."""
    removed_with_answers = set(
        db.session.scalars(
            sa.select(Answer.question_id)
            .join(Question, Question.id == Answer.question_id)
            .where(Question.event_id == event.id, Question.removed_at.is_not(None))
            .distinct()
        )
    )
    removed = [q for q in event.questions if q.id in removed_with_answers]
    return [*event.asked_questions, *removed]


@dataclass(frozen=True)
class OptionCount:
    label: str
    count: int


@dataclass(frozen=True)
class QuestionCount:
    question: Question
    options: list[OptionCount]


def counts(event: Event, language: str) -> list[QuestionCount]:
    """Confirmed people per choice (or per yes and no) of each countable question asked now:
    what the caterer and the bus company need ("Pusdienas: 18 jā, 4 nē")."""
    confirmed = sa.select(Registration.id).where(
        Registration.event_id == event.id, Registration.status == RegistrationStatus.CONFIRMED
    )
    per_choice = dict(
        db.session.execute(
            sa.select(answer_choice.c.choice_id, sa.func.count())
            .join(Answer, Answer.id == answer_choice.c.answer_id)
            .where(Answer.registration_id.in_(confirmed))
            .group_by(answer_choice.c.choice_id)
        ).all()
    )
    per_flag = {
        (question_id, flag): n
        for question_id, flag, n in db.session.execute(
            sa.select(Answer.question_id, Answer.flag, sa.func.count())
            .where(Answer.registration_id.in_(confirmed), Answer.flag.is_not(None))
            .group_by(Answer.question_id, Answer.flag)
        )
    }
    result = []
    for question in event.asked_questions:
        if question.kind is QuestionKind.YES_NO:
            options = [
                OptionCount(str(_l("yes")), per_flag.get((question.id, True), 0)),
                OptionCount(str(_l("no")), per_flag.get((question.id, False), 0)),
            ]
        elif question.kind.has_choices:
            options = [
                OptionCount(choice.label(language), per_choice.get(choice.id, 0))
                for choice in question.choices
                if choice.removed_at is None or per_choice.get(choice.id)
            ]
        else:
            continue
        result.append(QuestionCount(question, options))
    return result


# -- filtering the participant table ---------------------------------------------------------


def filter_options(event: Event, language: str) -> list[tuple[str, str]]:
    """(value, label) of every answer the participant table can be filtered by: each choice
    and each yes or no of the questions asked now."""
    options = []
    for question in event.asked_questions:
        label = question.label(language)
        if question.kind is QuestionKind.YES_NO:
            options.append((f"y{question.id}", f"{label}: {_l('yes')}"))
            options.append((f"n{question.id}", f"{label}: {_l('no')}"))
        elif question.kind.has_choices:
            options += [(f"c{c.id}", f"{label}: {c.label(language)}") for c in question.choices]
    return options


def answer_condition(event: Event, value: str) -> sa.ColumnElement[bool] | None:
    """The SQL condition of a filter value from `filter_options`; None for an unknown one."""
    known = {option for option, _ in filter_options(event, "lv")}
    if value not in known:
        return None
    number = int(value[1:])
    if value.startswith("c"):
        chose = (
            sa.select(Answer.registration_id)
            .join(answer_choice, answer_choice.c.answer_id == Answer.id)
            .where(answer_choice.c.choice_id == number)
        )
        return Registration.id.in_(chose)
    said = sa.select(Answer.registration_id).where(
        Answer.question_id == number, Answer.flag.is_(value.startswith("y"))
    )
    return Registration.id.in_(said)
