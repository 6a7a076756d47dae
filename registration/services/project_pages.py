"""What a project's public page shows: its events, results and publicity posts."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from ..extensions import db
from ..models import Document, Event, Post, Project
from ..timeutil import now_utc
from . import documents, posts, statistics
from .events import VISIBLE


@dataclass
class PastEvent:
    event: Event
    #: People who took part: those marked present, or (attendance not taken) those confirmed.
    took_part: int


@dataclass
class ProjectPage:
    project: Project
    upcoming: list[Event]
    past: list[PastEvent]
    documents: list[Document]
    posts: list[Post]


def project_page(project: Project) -> ProjectPage:
    now = now_utc()
    events = list(
        db.session.scalars(
            sa.select(Event)
            .where(Event.project_id == project.id, Event.status.in_(VISIBLE))
            .order_by(Event.starts_at, Event.id)
        )
    )
    upcoming = [event for event in events if event.ends_at > now]
    ended = [event for event in reversed(events) if event.ends_at <= now and not event.is_cancelled]
    figures = statistics.figures_by_event(event.id for event in ended)
    past = [
        PastEvent(
            event,
            figures[event.id].attended
            if figures[event.id].attendance_taken
            else figures[event.id].confirmed,
        )
        for event in ended
    ]
    return ProjectPage(
        project=project,
        upcoming=upcoming,
        past=past,
        documents=documents.public_documents(project.id),
        posts=posts.latest(100, project_id=project.id),
    )
