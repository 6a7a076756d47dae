"""An event's own sign-up questions, their choices, and what people answered.

Questions and choices are never deleted once they exist: removing one only sets
`removed_at`, so answers given before keep their question's wording (exports still show them)
and a renamed choice is still the one people picked (answers point at the choice's row).
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..types import UTCDateTime
from .base import Timestamps, enum_column

if TYPE_CHECKING:
    from .event import Event


class QuestionKind(enum.Enum):
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    ONE_CHOICE = "one_choice"
    SEVERAL_CHOICES = "choices"
    YES_NO = "yes_no"
    NUMBER = "number"
    DATE = "date"

    @property
    def has_choices(self) -> bool:
        return self in (QuestionKind.ONE_CHOICE, QuestionKind.SEVERAL_CHOICES)

    @property
    def is_countable(self) -> bool:
        """Answers that can be counted per option ("Pusdienas: 18 jā, 4 nē")."""
        return self.has_choices or self is QuestionKind.YES_NO


class QuestionForm(enum.Enum):
    """Which of an event's forms asks the question."""

    SIGNUP = "signup"  #: the sign-up form (and the person's private page)
    FEEDBACK = "feedback"  #: the feedback form sent after the event (models/feedback.py)


class Question(Timestamps, db.Model):
    """One question an event asks on its sign-up form or on its feedback form."""

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("event.id", ondelete="CASCADE"), index=True)
    #: Order on the form, from 1; removed questions keep theirs.
    position: Mapped[int]
    kind: Mapped[QuestionKind] = mapped_column(enum_column(QuestionKind))
    #: The form that asks it; `Event.questions` holds the sign-up form's alone.
    form: Mapped[QuestionForm] = mapped_column(
        enum_column(QuestionForm), default=QuestionForm.SIGNUP, server_default="signup"
    )
    #: The wording in Latvian (always) and English (empty: the Latvian one is shown).
    label_lv: Mapped[str] = mapped_column(sa.String(300))
    label_en: Mapped[str] = mapped_column(sa.String(300), default="")
    help_lv: Mapped[str] = mapped_column(sa.String(500), default="")
    help_en: Mapped[str] = mapped_column(sa.String(500), default="")
    is_required: Mapped[bool] = mapped_column(default=False)
    #: Asked of every companion in a group sign-up too (lunch, pickup stop), not only of the
    #: person who fills in the form.
    asks_each_person: Mapped[bool] = mapped_column(default=False)
    #: Bounds of a number question (empty: no bound of the organiser's).
    min_value: Mapped[int | None]
    max_value: Mapped[int | None]
    #: When an organiser removed it; its answers stay, under this wording.
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    event: Mapped[Event] = relationship(back_populates="questions")
    choices: Mapped[list[QuestionChoice]] = relationship(
        back_populates="question", order_by="QuestionChoice.position", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Question {self.id} {self.kind.value}>"

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None

    @property
    def offered_choices(self) -> list[QuestionChoice]:
        """The choices a person may pick now (not removed)."""
        return [choice for choice in self.choices if choice.removed_at is None]

    def label(self, language: str) -> str:
        return (self.label_en if language == "en" else "") or self.label_lv

    def help(self, language: str) -> str:
        return (self.help_en if language == "en" else "") or self.help_lv


class QuestionChoice(db.Model):
    """One option of a one-choice or several-choices question."""

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("question.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    label_lv: Mapped[str] = mapped_column(sa.String(200))
    label_en: Mapped[str] = mapped_column(sa.String(200), default="")
    #: When an organiser removed it; people who picked it keep their answer.
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    question: Mapped[Question] = relationship(back_populates="choices")

    def __repr__(self) -> str:
        return f"<QuestionChoice {self.id}>"

    def label(self, language: str) -> str:
        return (self.label_en if language == "en" else "") or self.label_lv


#: The choices of one answer (a several-choices answer has many, a one-choice answer one).
answer_choice = sa.Table(
    "answer_choice",
    db.metadata,
    sa.Column("answer_id", sa.ForeignKey("answer.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "choice_id",
        sa.ForeignKey("question_choice.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


class Answer(db.Model):
    """What one registration answered to one question; the column used follows the kind."""

    __table_args__ = (sa.UniqueConstraint("registration_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("registration.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("question.id", ondelete="CASCADE"), index=True
    )
    #: Short and long text.
    text: Mapped[str] = mapped_column(sa.Text, default="")
    #: A number question's answer.
    number: Mapped[int | None]
    #: A date question's answer.
    day: Mapped[date | None]
    #: A yes/no question's answer.
    flag: Mapped[bool | None]

    question: Mapped[Question] = relationship()
    choices: Mapped[list[QuestionChoice]] = relationship(
        secondary=answer_choice, order_by="QuestionChoice.position"
    )

    def __repr__(self) -> str:
        return f"<Answer {self.registration_id}:{self.question_id}>"
