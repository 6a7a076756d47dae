"""The data model. Import models from here: `from registration.models import Event`."""

from .audit import AuditAction, AuditEntry
from .blocklist import BlockedAddress
from .event import (
    DEFAULT_HAS_WAITING_LIST,
    DEFAULT_MAX_COMPANIONS,
    DEFAULT_REMINDER_HOURS,
    Event,
    EventKind,
    EventStatus,
    PickupStop,
    ProgrammeItem,
    Project,
)
from .organiser import Organiser, OrganiserRole
from .outbox import OutboxAttachment, OutboxMessage, OutboxState
from .question import Answer, Question, QuestionChoice, QuestionKind
from .registration import (
    Attendance,
    CancelReason,
    Registration,
    RegistrationSource,
    RegistrationStatus,
)
from .schedule import ScheduledJob

__all__ = [
    "DEFAULT_HAS_WAITING_LIST",
    "DEFAULT_MAX_COMPANIONS",
    "DEFAULT_REMINDER_HOURS",
    "Answer",
    "Attendance",
    "AuditAction",
    "AuditEntry",
    "BlockedAddress",
    "CancelReason",
    "Event",
    "EventKind",
    "EventStatus",
    "Organiser",
    "OrganiserRole",
    "OutboxAttachment",
    "OutboxMessage",
    "OutboxState",
    "PickupStop",
    "ProgrammeItem",
    "Project",
    "Question",
    "QuestionChoice",
    "QuestionKind",
    "Registration",
    "RegistrationSource",
    "RegistrationStatus",
    "ScheduledJob",
]
