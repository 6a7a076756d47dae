"""News posts: invitations before events, reports after them, other news."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import now_utc
from ..types import UTCDateTime
from .base import Timestamps, enum_column
from .stored_file import StoredFile

if TYPE_CHECKING:
    from .event import Event
    from .project import Project


class PostStatus(enum.Enum):
    DRAFT = "draft"
    #: Public from `published_at` on (a time in the future schedules it).
    PUBLISHED = "published"
    #: Was public, taken down; its address is no longer found.
    UNPUBLISHED = "unpublished"


#: Which events a post is about (each gets a live box with seats and a sign-up link).
post_event = sa.Table(
    "post_event",
    db.metadata,
    sa.Column("post_id", sa.ForeignKey("post.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "event_id", sa.ForeignKey("event.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
)


class Post(Timestamps, db.Model):
    __table_args__ = (sa.Index("ix_post_status_published_at", "status", "published_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: URL part of the post's page (/jaunumi/<slug>); unique.
    slug: Mapped[str] = mapped_column(sa.String(120), unique=True)
    status: Mapped[PostStatus] = mapped_column(enum_column(PostStatus), default=PostStatus.DRAFT)
    title: Mapped[str] = mapped_column(sa.String(200))
    #: One or two sentences for lists, feeds and link previews (plain text).
    lead: Mapped[str] = mapped_column(sa.String(400), default="")
    #: The text, in Markdown without raw HTML (see services/markdown.py).
    body: Mapped[str] = mapped_column(sa.Text, default="")
    #: The date the post carries; from this moment on a published post is public.
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    photo_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("stored_file.id", ondelete="SET NULL")
    )
    #: What the photo shows, for people who cannot see it.
    photo_alt: Mapped[str] = mapped_column(sa.String(300), default="")
    project_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("project.id", ondelete="SET NULL"), index=True
    )

    photo: Mapped[StoredFile | None] = relationship()
    project: Mapped[Project | None] = relationship()
    events: Mapped[list[Event]] = relationship(secondary=post_event, order_by="Event.starts_at")

    def __repr__(self) -> str:
        return f"<Post {self.slug}>"

    @property
    def is_public(self) -> bool:
        """Published and its time has come (a scheduled post is not public yet)."""
        return (
            self.status is PostStatus.PUBLISHED
            and self.published_at is not None
            and self.published_at <= now_utc()
        )

    @property
    def is_scheduled(self) -> bool:
        return (
            self.status is PostStatus.PUBLISHED
            and self.published_at is not None
            and self.published_at > now_utc()
        )
