"""The data model. Import models from here: `from registration.models import Event`."""

from .audit import AuditAction, AuditEntry
from .blocklist import BlockedAddress
from .document import Document
from .event import (
    DEFAULT_HAS_WAITING_LIST,
    DEFAULT_MAX_COMPANIONS,
    DEFAULT_REMINDER_HOURS,
    Event,
    EventKind,
    EventStatus,
    PickupStop,
    ProgrammeItem,
)
from .feedback import FeedbackAnswer, FeedbackForm, FeedbackResponse
from .organisation import THE_ORGANISATION, Organisation
from .organiser import Organiser, OrganiserRole
from .outbox import OutboxAttachment, OutboxMessage, OutboxState
from .post import Post, PostStatus, post_event
from .project import Project, ProjectStatus
from .question import Answer, Question, QuestionChoice, QuestionForm, QuestionKind
from .registration import (
    Attendance,
    CancelReason,
    Registration,
    RegistrationSource,
    RegistrationStatus,
)
from .schedule import ScheduledJob
from .stored_file import FileKind, StoredFile

__all__ = [
    "DEFAULT_HAS_WAITING_LIST",
    "DEFAULT_MAX_COMPANIONS",
    "DEFAULT_REMINDER_HOURS",
    "THE_ORGANISATION",
    "Answer",
    "Attendance",
    "AuditAction",
    "AuditEntry",
    "BlockedAddress",
    "CancelReason",
    "Document",
    "Event",
    "EventKind",
    "EventStatus",
    "FeedbackAnswer",
    "FeedbackForm",
    "FeedbackResponse",
    "FileKind",
    "Organisation",
    "Organiser",
    "OrganiserRole",
    "OutboxAttachment",
    "OutboxMessage",
    "OutboxState",
    "PickupStop",
    "Post",
    "PostStatus",
    "ProgrammeItem",
    "Project",
    "ProjectStatus",
    "Question",
    "QuestionChoice",
    "QuestionForm",
    "QuestionKind",
    "Registration",
    "RegistrationSource",
    "RegistrationStatus",
    "ScheduledJob",
    "StoredFile",
    "post_event",
]
