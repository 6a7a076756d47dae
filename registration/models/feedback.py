"""An event's feedback form, and what those who came answered on it.

The questions are ordinary `Question` rows with `form = feedback` (the same kinds and wording
as the sign-up form's). A response keeps its registration only to refuse a second answer:
results never show it unless the form says names are shown, retention's anonymisation drops
the link (the answers stay, then belonging to nobody), and erasing a person deletes theirs.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..types import UTCDateTime
from .base import Timestamps
from .question import Question

if TYPE_CHECKING:
    from .event import Event


class FeedbackForm(Timestamps, db.Model):
    """The settings of an event's feedback form (one per event)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("event.id", ondelete="CASCADE"), unique=True
    )
    #: Answers are taken until this moment (UTC).
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: The organisers see who answered what; off by default (anonymous results).
    shows_names: Mapped[bool] = mapped_column(default=False)
    #: The thank-you with the link goes out on its own this many hours after the event ends;
    #: empty: only when an organiser sends it.
    send_after_hours: Mapped[int | None]
    #: When the thank-you was queued (it goes once).
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    event: Mapped[Event] = relationship()

    def __repr__(self) -> str:
        return f"<FeedbackForm of event {self.event_id}>"


class FeedbackResponse(db.Model):
    """One person's submitted feedback form."""

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("event.id", ondelete="CASCADE"), index=True)
    #: Who answered, so that a person answers once; emptied by retention's anonymisation.
    registration_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("registration.id", ondelete="SET NULL"), unique=True
    )
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)

    answers: Mapped[list[FeedbackAnswer]] = relationship(cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<FeedbackResponse {self.id}>"


class FeedbackAnswer(db.Model):
    """The answer to one question of the feedback form; the column used follows the kind."""

    __table_args__ = (sa.UniqueConstraint("response_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        sa.ForeignKey("feedback_response.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("question.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(sa.Text, default="")
    number: Mapped[int | None]
    flag: Mapped[bool | None]

    question: Mapped[Question] = relationship()

    def __repr__(self) -> str:
        return f"<FeedbackAnswer {self.response_id}:{self.question_id}>"
