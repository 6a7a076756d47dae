"""One small query that tells whether anything a cached public page shows may have changed."""

from __future__ import annotations

import sqlalchemy as sa

from ..extensions import db
from ..models import (
    Document,
    Event,
    Organisation,
    Post,
    Project,
    Question,
    Registration,
    RegistrationStatus,
)
from ..timeutil import now_utc
from .posts import visible


def public_version() -> tuple:
    """Changes whenever an event row changes (seat counts included), an event or post is
    added or deleted, a post changes or a scheduled one comes due, or the organisation's
    details (in every page's header) are saved. One round trip to the database."""
    now = now_utc()
    row = db.session.execute(
        sa.select(
            sa.select(sa.func.count(Event.id)).scalar_subquery(),
            sa.select(sa.func.max(Event.updated_at)).scalar_subquery(),
            sa.select(sa.func.count(Post.id)).scalar_subquery(),
            sa.select(sa.func.max(Post.updated_at)).scalar_subquery(),
            sa.select(sa.func.count(Post.id)).where(visible(now)).scalar_subquery(),
            sa.select(sa.func.max(Organisation.updated_at)).scalar_subquery(),
        )
    ).one()
    return tuple(row)


def event_page_version() -> tuple:
    """The public version, and what else an event page shows: the questions of its form, its
    project's funding line, who waits first (a new registration, or one leaving the waiting
    list, without a seat changing hands), and the materials shown once it is over. One more
    round trip."""
    waiting = Registration.status == RegistrationStatus.WAITLISTED
    row = db.session.execute(
        sa.select(
            sa.select(sa.func.max(Registration.id)).scalar_subquery(),
            sa.select(sa.func.count(Registration.id)).where(waiting).scalar_subquery(),
            sa.select(sa.func.max(Project.updated_at)).scalar_subquery(),
            sa.select(sa.func.max(Question.updated_at)).scalar_subquery(),
            sa.select(sa.func.count(Question.id)).scalar_subquery(),
            sa.select(sa.func.max(Document.updated_at)).scalar_subquery(),
            sa.select(sa.func.count(Document.id)).scalar_subquery(),
        )
    ).one()
    return (*public_version(), *row)
