"""Funded projects: what the funder registered, and what the public project page shows."""

from __future__ import annotations

import enum
import uuid
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import Timestamps, enum_column
from .stored_file import StoredFile

if TYPE_CHECKING:
    from .event import Event


class ProjectStatus(enum.Enum):
    #: Being prepared: not shown to the public.
    DRAFT = "draft"
    #: Running, or shown as it ran: its page is public and new events and posts may join it.
    PUBLISHED = "published"
    #: Over: its page stays public (funders expect publicity to stay), but it is no longer
    #: offered for new events and posts.
    ARCHIVED = "archived"


class Project(Timestamps, db.Model):
    """A funded programme that groups events, posts and result documents, and is printed on
    the funder's paperwork."""

    __table_args__ = (
        sa.CheckConstraint("amount IS NULL OR amount >= 0", name="amount_not_negative"),
        sa.CheckConstraint(
            "support_intensity IS NULL OR (support_intensity >= 0 AND support_intensity <= 100)",
            name="intensity_is_a_percentage",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: URL part of the public page (/projekti/<slug>); unique. The services make it from the
    #: title; a project made without one gets a random one.
    slug: Mapped[str] = mapped_column(
        sa.String(120), unique=True, default=lambda: f"projekts-{uuid.uuid4().hex[:10]}"
    )
    status: Mapped[ProjectStatus] = mapped_column(
        enum_column(ProjectStatus), default=ProjectStatus.DRAFT
    )
    #: Public title, e.g. the project's name in the grant agreement.
    title: Mapped[str] = mapped_column(sa.String(300))
    #: The funder's project number, e.g. 2021.LV/NVOF/MIC/031/10.
    code: Mapped[str | None] = mapped_column(sa.String(80), unique=True)
    #: Who funds it, e.g. "Sabiedrības integrācijas fonds".
    funder: Mapped[str | None] = mapped_column(sa.String(200))
    #: The funder's programme, e.g. "NVO fonds".
    programme: Mapped[str] = mapped_column(sa.String(200), default="")
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]
    #: Amount granted in euros, exact to the cent.
    amount: Mapped[Decimal | None] = mapped_column(sa.Numeric(12, 2))
    #: Support intensity, per cent of the eligible costs (100 for a full grant).
    support_intensity: Mapped[Decimal | None] = mapped_column(sa.Numeric(5, 2))
    #: Where the project is carried out, e.g. "Aizkraukles novads".
    implementation_place: Mapped[str] = mapped_column(sa.String(300), default="")
    #: One or two sentences for lists and link previews.
    description: Mapped[str] = mapped_column(sa.Text, default="")
    #: Short formatted texts (Markdown, see services/markdown.py).
    goal: Mapped[str] = mapped_column(sa.Text, default="")
    activities: Mapped[str] = mapped_column(sa.Text, default="")
    expected_results: Mapped[str] = mapped_column(sa.Text, default="")
    target_groups: Mapped[str] = mapped_column(sa.Text, default="")
    #: The line the funder wants printed, e.g. "Finansējums: ... programma „NVO fonds”".
    funding_line: Mapped[str | None] = mapped_column(sa.String(400))
    #: The funder's logo, shown with the funding line.
    funder_logo_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("stored_file.id", ondelete="SET NULL")
    )

    events: Mapped[list[Event]] = relationship(back_populates="project")
    funder_logo: Mapped[StoredFile | None] = relationship()

    def __repr__(self) -> str:
        return f"<Project {self.code or self.id}>"

    @property
    def is_public(self) -> bool:
        return self.status is not ProjectStatus.DRAFT

    @property
    def is_archived(self) -> bool:
        return self.status is ProjectStatus.ARCHIVED

    @property
    def has_publicity(self) -> bool:
        """Whether there is a funding line or logo to show beside the project's events."""
        return bool(self.funding_line or self.funder_logo_id)
