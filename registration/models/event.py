"""Events and the parts of a study trip (pickup stops and the day's programme)."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import now_utc
from ..types import UTCDateTime
from .base import Timestamps, enum_column
from .project import Project
from .question import Question

#: A new event's reminder, in hours before the start, and whether it keeps a waiting list:
#: the one place these defaults are set (the model, the organisers' service and its form
#: take them from here).
DEFAULT_REMINDER_HOURS = 24
DEFAULT_HAS_WAITING_LIST = True
#: How many companions one person may sign up with them (0: only themselves).
DEFAULT_MAX_COMPANIONS = 3


class EventKind(enum.Enum):
    THINK_TANK = "think_tank"
    SEMINAR = "seminar"
    STUDY_TRIP = "study_trip"
    CONFERENCE = "conference"
    OTHER = "other"


class EventStatus(enum.Enum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"


class Event(Timestamps, db.Model):
    """Something people sign up for: a think tank, seminar, study trip or final event."""

    __table_args__ = (
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity_not_negative"),
        # The last line of defence against overselling: the booking service keeps the counter,
        # the database refuses any state where it exceeds the capacity.
        sa.CheckConstraint("capacity IS NULL OR confirmed_count <= capacity", name="not_oversold"),
        sa.CheckConstraint("confirmed_count >= 0", name="confirmed_count_not_negative"),
        sa.CheckConstraint("max_companions >= 0", name="max_companions_not_negative"),
        sa.Index("ix_event_status_starts_at", "status", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Calendar UID, fixed at creation so calendar clients recognise updates.
    uid: Mapped[str] = mapped_column(
        sa.String(80), unique=True, default=lambda: f"{uuid.uuid4()}@registration"
    )
    #: Calendar SEQUENCE: raised whenever time, place or status changes.
    sequence: Mapped[int] = mapped_column(default=0)
    #: When anything a calendar file shows last changed (see calendar/sequence.py). Unlike
    #: `updated_at` it stays put when only the seat counter moves, so subscribed calendars
    #: polling with their ETag are answered "not modified" through a rush of sign-ups.
    calendar_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    #: URL part of the public page; unique.
    slug: Mapped[str] = mapped_column(sa.String(120), unique=True)
    kind: Mapped[EventKind] = mapped_column(enum_column(EventKind))
    status: Mapped[EventStatus] = mapped_column(enum_column(EventStatus), default=EventStatus.DRAFT)
    title: Mapped[str] = mapped_column(sa.String(200))
    #: One line for lists and link previews.
    summary: Mapped[str] = mapped_column(sa.String(300), default="")
    #: Longer text; plain text with blank lines between paragraphs.
    description: Mapped[str] = mapped_column(sa.Text, default="")
    #: Who the event is for, in a sentence ("NVO pārstāvjiem un aktīviem iedzīvotājiem").
    audience: Mapped[str] = mapped_column(sa.String(300), default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    venue_name: Mapped[str] = mapped_column(sa.String(200), default="")
    venue_address: Mapped[str] = mapped_column(sa.String(300), default="")
    #: The parish or town it takes place in, one of the configured places (for filters).
    place: Mapped[str | None] = mapped_column(sa.String(80), index=True)
    is_online: Mapped[bool] = mapped_column(default=False)
    #: Join link for online events; private: only in participants' emails and personal .ics.
    online_url: Mapped[str | None] = mapped_column(sa.String(500))
    #: Seats; empty means unlimited.
    capacity: Mapped[int | None]
    #: Confirmed registrations, kept by the booking service under a lock.
    confirmed_count: Mapped[int] = mapped_column(default=0)
    has_waiting_list: Mapped[bool] = mapped_column(default=DEFAULT_HAS_WAITING_LIST)
    #: Companions one person may sign up with them (0: group sign-up is off).
    max_companions: Mapped[int] = mapped_column(default=DEFAULT_MAX_COMPANIONS)
    #: When a group first in the queue does not fit the free seats, smaller groups behind it
    #: may take them; otherwise nobody jumps ahead (services/groups.py).
    fills_with_smaller_groups: Mapped[bool] = mapped_column(default=False)
    #: Sign-up opens at this moment (empty: as soon as published).
    registration_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Sign-up closes at this moment (empty: when the event starts).
    registration_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    requires_phone: Mapped[bool] = mapped_column(default=False)
    contact_name: Mapped[str] = mapped_column(sa.String(200), default="")
    contact_email: Mapped[str] = mapped_column(sa.String(254), default="")
    contact_phone: Mapped[str] = mapped_column(sa.String(40), default="")
    #: What participants should bring or know ("ņemiet līdzi pusdienas").
    practical_info: Mapped[str] = mapped_column(sa.Text, default="")
    #: Hours before the start when the reminder goes out; empty: no reminder.
    reminder_hours: Mapped[int | None] = mapped_column(default=DEFAULT_REMINDER_HOURS)
    #: Double opt-in: people who sign up on the site confirm their address within this many
    #: hours (with the link in their email) or their place is released; empty: not asked.
    confirm_within_hours: Mapped[int | None]
    #: Send the contact a notice on each new sign-up.
    notify_organiser: Mapped[bool] = mapped_column(default=False)
    #: Why it was cancelled, shown on the page and in the email.
    cancellation_reason: Mapped[str] = mapped_column(sa.Text, default="")
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    project_id: Mapped[int | None] = mapped_column(sa.ForeignKey("project.id"), index=True)

    project: Mapped[Project | None] = relationship(back_populates="events")
    pickup_stops: Mapped[list[PickupStop]] = relationship(
        back_populates="event", order_by="PickupStop.position", cascade="all, delete-orphan"
    )
    programme: Mapped[list[ProgrammeItem]] = relationship(
        back_populates="event", order_by="ProgrammeItem.position", cascade="all, delete-orphan"
    )

    #: The sign-up form's questions; the feedback form's are `feedback_questions`.
    questions: Mapped[list[Question]] = relationship(
        primaryjoin="and_(Question.event_id == Event.id, Question.form == 'signup')",
        back_populates="event",
        order_by="Question.position",
        cascade="all, delete-orphan",
    )
    #: The feedback form's questions (services/feedback.py writes them).
    feedback_questions: Mapped[list[Question]] = relationship(
        primaryjoin="and_(Question.event_id == Event.id, Question.form == 'feedback')",
        order_by="Question.position",
        viewonly=True,
    )

    def __repr__(self) -> str:
        return f"<Event {self.slug}>"

    @property
    def asked_questions(self) -> list[Question]:
        """The questions on the form now, in order (removed ones are not asked)."""
        return [question for question in self.questions if question.removed_at is None]

    @property
    def is_trip(self) -> bool:
        return self.kind is EventKind.STUDY_TRIP

    @property
    def is_published(self) -> bool:
        return self.status is EventStatus.PUBLISHED

    @property
    def is_cancelled(self) -> bool:
        return self.status is EventStatus.CANCELLED

    @property
    def has_started(self) -> bool:
        return self.starts_at <= now_utc()

    @property
    def is_past(self) -> bool:
        return self.ends_at <= now_utc()

    @property
    def seats_left(self) -> int | None:
        """Free seats, or None when the event has no limit."""
        if self.capacity is None:
            return None
        return max(self.capacity - self.confirmed_count, 0)

    @property
    def closes_at(self) -> datetime:
        """When sign-up ends: the configured moment, else the start."""
        return self.registration_closes_at or self.starts_at


class PickupStop(db.Model):
    """Where and when the bus picks people up on a study trip."""

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("event.id", ondelete="CASCADE"), index=True)
    #: Order along the route, from 1.
    position: Mapped[int]
    place: Mapped[str] = mapped_column(sa.String(200))
    departs_at: Mapped[datetime] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(sa.String(300), default="")

    event: Mapped[Event] = relationship(back_populates="pickup_stops")

    def __repr__(self) -> str:
        return f"<PickupStop {self.place}>"


class ProgrammeItem(db.Model):
    """One stop of a study trip's day, or one part of a seminar's agenda."""

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("event.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    place: Mapped[str] = mapped_column(sa.String(200), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")

    event: Mapped[Event] = relationship(back_populates="programme")
