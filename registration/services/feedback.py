"""The feedback form after an event: setting it up, and a person answering it once.

The form asks ordinary questions (`Question` with `form = feedback`): the same kinds, the same
checks (`answers.problem`) as the sign-up form. It starts with four: a 1–5 rating, what was
most useful, what to improve, would you come again. People answer through a private link of
their own (`tokens.feedback_token`), once, after the event ends and until the form closes;
the rules are in `policy.feedback_refusal`. Results are in `feedback_results.py`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import (
    AuditAction,
    Event,
    FeedbackAnswer,
    FeedbackForm,
    FeedbackResponse,
    Organiser,
    Question,
    QuestionForm,
    QuestionKind,
    Registration,
)
from ..timeutil import now_utc, start_of_riga_day, to_riga
from . import DomainError, NotFound, audit, policy, tokens, unit_of_work
from .answers import AnswerValue, InvalidAnswers, problem

#: How long the form stays open after the event by default, in days.
DEFAULT_OPEN_DAYS = 14
#: The thank-you may wait at most this long after the event (a month).
MAX_SEND_AFTER_HOURS = 720

#: The questions a new feedback form starts with: kind, Latvian and English wording, bounds.
DEFAULT_QUESTIONS = (
    (QuestionKind.NUMBER, "Kā jūs novērtētu pasākumu kopumā? (1 – vāji, 5 – izcili)",
     "How would you rate the event overall? (1 – poor, 5 – excellent)", 1, 5),
    (QuestionKind.LONG_TEXT, "Kas jums bija visnoderīgākais?",
     "What was most useful to you?", None, None),
    (QuestionKind.LONG_TEXT, "Ko mums vajadzētu uzlabot?",
     "What should we improve?", None, None),
    (QuestionKind.YES_NO, "Vai jūs nāktu uz līdzīgu pasākumu vēlreiz?",
     "Would you come to a similar event again?", None, None),
)  # fmt: skip


class AlreadyAnswered(DomainError):
    """The person has sent their feedback before; it is not taken twice."""


@dataclass
class FormSettings:
    """What an organiser sets: the closing day (answers are taken until its end, Riga
    time), whether names are shown with the answers, and the hours after the event's end
    when the thank-you goes out on its own (None: when an organiser sends it)."""

    closes_on: date
    shows_names: bool = False
    send_after_hours: int | None = None


def form_of(event: Event) -> FeedbackForm | None:
    return db.session.scalar(sa.select(FeedbackForm).where(FeedbackForm.event_id == event.id))


def default_settings(event: Event) -> FormSettings:
    return FormSettings(closes_on=to_riga(event.ends_at).date() + timedelta(DEFAULT_OPEN_DAYS))


def settings_of(event: Event) -> FormSettings:
    """The form's settings as an organiser sets them (the defaults before it exists)."""
    form = form_of(event)
    if form is None:
        return default_settings(event)
    return FormSettings(
        closes_on=to_riga(form.closes_at - timedelta(seconds=1)).date(),
        shows_names=form.shows_names,
        send_after_hours=form.send_after_hours,
    )


def asked_questions(event: Event) -> list[Question]:
    """The feedback form's questions, in order (removed ones are not asked)."""
    return [q for q in event.feedback_questions if q.removed_at is None]


def _check(event: Event, settings: FormSettings) -> None:
    closes_at = start_of_riga_day(settings.closes_on + timedelta(days=1))
    if closes_at <= event.ends_at:
        raise DomainError(_("The form must close after the event ends."))
    hours = settings.send_after_hours
    if hours is not None and not 0 <= hours <= MAX_SEND_AFTER_HOURS:
        raise DomainError(
            _("Send the thank-you from 0 to %(max)d hours after the end.", max=MAX_SEND_AFTER_HOURS)
        )


def set_up(event_id: int, settings: FormSettings, *, actor: Organiser | None) -> FeedbackForm:
    """Give the event its feedback form (with the default questions), or change its settings.

    DomainError for a closing day before the event ends or hours out of range."""
    with unit_of_work():
        event = db.session.get(Event, event_id)
        if event is None:
            raise NotFound(_("This event was not found."))
        _check(event, settings)
        form = form_of(event)
        if form is None:
            _add_default_questions(event)
            form = FeedbackForm(event_id=event.id)
            db.session.add(form)
        form.closes_at = start_of_riga_day(settings.closes_on + timedelta(days=1))
        form.shows_names = settings.shows_names
        form.send_after_hours = settings.send_after_hours
        audit.record(AuditAction.EVENT_CHANGED, actor, event=event, fields=["feedback_form"])
    return form


def _add_default_questions(event: Event) -> None:
    if event.feedback_questions:
        return
    for position, (kind, label_lv, label_en, low, high) in enumerate(DEFAULT_QUESTIONS, 1):
        db.session.add(
            Question(
                event_id=event.id,
                form=QuestionForm.FEEDBACK,
                position=position,
                kind=kind,
                label_lv=label_lv,
                label_en=label_en,
                is_required=kind is QuestionKind.NUMBER,
                min_value=low,
                max_value=high,
            )
        )
    db.session.flush()
    db.session.expire(event, ["feedback_questions"])


# -- answering ---------------------------------------------------------------------------------


def registration_for(slug: str, token: str) -> Registration:
    """The registration a feedback link opens. NotFound for a wrong link; DomainError for a
    link of another event's person (a link copied into another event's address)."""
    registration = tokens.find_by_feedback_token(token)
    if registration is None:
        raise NotFound(_("This feedback link is not valid."))
    if registration.event.slug != slug:
        raise DomainError(_("This feedback link belongs to another event."))
    return registration


def has_answered(registration: Registration) -> bool:
    return (
        db.session.scalar(
            sa.select(FeedbackResponse.id).where(
                FeedbackResponse.registration_id == registration.id
            )
        )
        is not None
    )


def refusal(registration: Registration) -> str | None:
    """Why this person's form cannot be answered now (closed, not theirs to answer, sent
    before), or None."""
    if has_answered(registration):
        return _("Thank you, your feedback was received already.")
    return policy.feedback_refusal(registration, form_of(registration.event))


def checked(event: Event, given: Mapping[int, AnswerValue]) -> dict[int, AnswerValue]:
    """The answers to store by question id; InvalidAnswers for any that breaks its question's
    rules, DomainError for an answer to a question this form does not ask."""
    asked = {q.id: q for q in asked_questions(event)}
    if set(given) - set(asked):
        raise DomainError(_("The answers do not belong to this event's feedback form."))
    errors: dict[int, str] = {}
    for question_id, question in asked.items():
        value = given.get(question_id)
        if value is None or value == "":
            if question.is_required:
                errors[question_id] = _("Please answer this question.")
            continue
        reason = problem(question, value)
        if reason:
            errors[question_id] = str(reason)
    if errors:
        raise InvalidAnswers(errors)
    return {qid: value for qid, value in given.items() if value not in (None, "")}


def submit(slug: str, token: str, given: Mapping[int, AnswerValue]) -> FeedbackResponse:
    """Store a person's feedback, all of it or nothing.

    AlreadyAnswered for a second time (also when two tabs send at once: the database keeps
    one response per registration); DomainError when the form is closed or not theirs;
    InvalidAnswers for answers that break the questions' rules."""
    with unit_of_work():
        registration = registration_for(slug, token)
        reason = refusal(registration)
        if reason is not None:
            raise (AlreadyAnswered if has_answered(registration) else DomainError)(reason)
        event = registration.event
        values = checked(event, given)
        questions = {q.id: q for q in asked_questions(event)}
        response = FeedbackResponse(
            event_id=event.id, registration_id=registration.id, submitted_at=now_utc()
        )
        response.answers = [_answer(questions[qid], value) for qid, value in values.items()]
        try:
            with db.session.begin_nested():
                db.session.add(response)
        except IntegrityError:
            raise AlreadyAnswered(_("Thank you, your feedback was received already.")) from None
    return response


def _answer(question: Question, value: AnswerValue) -> FeedbackAnswer:
    answer = FeedbackAnswer(question_id=question.id, question=question)
    if question.kind is QuestionKind.NUMBER:
        answer.number = int(value)  # type: ignore[arg-type]
    elif question.kind is QuestionKind.YES_NO:
        answer.flag = bool(value)
    else:
        answer.text = str(value).strip()
    return answer
