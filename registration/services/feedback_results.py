"""What people answered on the feedback forms: per event, per project, and as a workbook.

Results are anonymous unless the event's form says names are shown: the free texts come
without the person, in the order they were sent.
`project_results` is the plain function other reports (a funder's evidence pack) read.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from ..extensions import db
from ..models import (
    Attendance,
    Event,
    FeedbackAnswer,
    FeedbackForm,
    FeedbackResponse,
    Question,
    QuestionForm,
    QuestionKind,
    Registration,
    RegistrationStatus,
)
from ..timeutil import start_of_riga_day, to_riga

#: Characters an XLSX file cannot hold (control characters other than tab and line ends).
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass
class QuestionResult:
    question: Question
    label: str
    #: How many people answered it.
    answered: int = 0
    #: Numbers: the average (None without answers) and how many gave each number.
    average: float | None = None
    spread: dict[int, int] = field(default_factory=dict)
    #: Yes/no: how many said yes and no.
    yes: int = 0
    no: int = 0
    #: Texts: (text, the person's name or "" when names are not shown), in the order sent.
    texts: list[tuple[str, str]] = field(default_factory=list)

    @property
    def is_number(self) -> bool:
        return self.question.kind is QuestionKind.NUMBER

    @property
    def is_yes_no(self) -> bool:
        return self.question.kind is QuestionKind.YES_NO


@dataclass
class EventResults:
    event: Event
    #: People marked attended (those the form is for), and how many answered.
    attended: int
    responses: int
    shows_names: bool
    questions: list[QuestionResult]

    @property
    def response_rate(self) -> float | None:
        """The share of those who attended who answered, in per cent, one decimal."""
        return round(100 * self.responses / self.attended, 1) if self.attended else None


def _attended(event: Event) -> int:
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Registration)
        .where(
            Registration.event_id == event.id,
            Registration.status != RegistrationStatus.CANCELLED,
            Registration.attendance == Attendance.ATTENDED,
        )
    )


def _names(response_ids: list[int]) -> dict[int, str]:
    rows = db.session.execute(
        sa.select(FeedbackResponse.id, Registration.first_name, Registration.last_name)
        .join(Registration, Registration.id == FeedbackResponse.registration_id)
        .where(FeedbackResponse.id.in_(response_ids))
    )
    return {rid: f"{first} {last}".strip() for rid, first, last in rows}


def event_results(event: Event, language: str) -> EventResults:
    """Counts, averages and texts of the event's feedback form."""
    form = db.session.scalar(sa.select(FeedbackForm).where(FeedbackForm.event_id == event.id))
    shows_names = form is not None and form.shows_names
    responses = list(
        db.session.scalars(
            sa.select(FeedbackResponse)
            .where(FeedbackResponse.event_id == event.id)
            .order_by(FeedbackResponse.submitted_at, FeedbackResponse.id)
        )
    )
    names = _names([r.id for r in responses]) if shows_names else {}
    questions = db.session.scalars(
        sa.select(Question)
        .where(Question.event_id == event.id, Question.form == QuestionForm.FEEDBACK)
        .order_by(Question.position)
    )
    results = {q.id: QuestionResult(q, q.label(language)) for q in questions}
    numbers: dict[int, list[int]] = {qid: [] for qid in results}
    for response in responses:
        for answer in response.answers:
            _add(results[answer.question_id], numbers, answer, names.get(response.id, ""))
    for qid, result in results.items():
        values = numbers[qid]
        if values:
            result.average = round(sum(values) / len(values), 2)
            result.spread = dict(sorted(Counter(values).items()))
    shown = [r for r in results.values() if r.answered or r.question.removed_at is None]
    return EventResults(event, _attended(event), len(responses), shows_names, shown)


def _add(result: QuestionResult, numbers, answer: FeedbackAnswer, name: str) -> None:
    result.answered += 1
    if answer.number is not None:
        numbers[answer.question_id].append(answer.number)
    elif answer.flag is not None:
        result.yes += answer.flag
        result.no += not answer.flag
    elif answer.text:
        result.texts.append((answer.text, name))


@dataclass
class ProjectResults:
    """A project's feedback over a period: each event's results and the totals."""

    events: list[EventResults]
    attended: int
    responses: int
    #: The average of all 1–5 ratings given at the project's events (None without any).
    average_rating: float | None
    ratings: int


def is_rating(question: Question) -> bool:
    return (
        question.kind is QuestionKind.NUMBER and question.min_value == 1 and question.max_value == 5
    )


def project_results(
    project_id: int, period: tuple[date, date] | None = None, language: str = "lv"
) -> ProjectResults:
    """The feedback of the project's events that started within `period` (both days
    included, Riga time; None: all of them) that have a feedback form."""
    query = (
        sa.select(Event)
        .join(FeedbackForm, FeedbackForm.event_id == Event.id)
        .where(Event.project_id == project_id)
        .order_by(Event.starts_at, Event.id)
    )
    if period is not None:
        first, last = period
        query = query.where(
            Event.starts_at >= start_of_riga_day(first),
            Event.starts_at < start_of_riga_day(last + timedelta(days=1)),
        )
    events = [event_results(event, language) for event in db.session.scalars(query)]
    ratings = [
        (result.average, result.answered)
        for results in events
        for result in results.questions
        if is_rating(result.question) and result.average is not None
    ]
    count = sum(n for _, n in ratings)
    average = round(sum(avg * n for avg, n in ratings) / count, 2) if count else None
    return ProjectResults(
        events=events,
        attended=sum(r.attended for r in events),
        responses=sum(r.responses for r in events),
        average_rating=average,
        ratings=count,
    )


def to_xlsx(results: EventResults) -> bytes:
    """The results as a workbook: a summary sheet of figures, and one of the free texts."""
    book = Workbook()
    summary = book.active
    summary.title = _("Feedback summary")[:31]
    bold = Font(bold=True)
    summary.append([results.event.title])
    summary["A1"].font = bold
    summary.append([_("Date"), to_riga(results.event.starts_at).date()])
    summary["B2"].number_format = "DD.MM.YYYY"
    summary.append([_("People who attended"), results.attended])
    summary.append([_("Forms received"), results.responses])
    summary.append([])
    summary.append([_("Question"), _("Answers"), _("Average"), _("Yes"), _("No")])
    for cell in summary[6]:
        cell.font = bold
    for result in results.questions:
        _append(
            summary,
            [
                result.label,
                result.answered,
                result.average,
                result.yes if result.is_yes_no else None,
                result.no if result.is_yes_no else None,
            ],
        )
    summary.column_dimensions["A"].width = 60
    texts = book.create_sheet(_("Texts")[:31])
    header = [_("Question"), _("Answer")] + ([_("Name")] if results.shows_names else [])
    texts.append(header)
    for cell in texts[1]:
        cell.font = bold
    for result in results.questions:
        for text, name in result.texts:
            _append(texts, [result.label, text] + ([name] if results.shows_names else []))
    texts.column_dimensions["A"].width = 40
    texts.column_dimensions["B"].width = 80
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _append(sheet, values: list) -> None:
    """A row whose texts stay texts: openpyxl would write one starting with "=" as a
    formula, so such a cell is typed as text explicitly (nothing in it runs)."""
    sheet.append([_XML_ILLEGAL.sub("", v) if isinstance(v, str) else v for v in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"
