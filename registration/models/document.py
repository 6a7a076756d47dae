"""Result documents of a project: reports, guidelines, leaflets, presentations."""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import Timestamps
from .stored_file import StoredFile

if TYPE_CHECKING:
    from .event import Event
    from .project import Project


class Document(Timestamps, db.Model):
    """A published result. Its public address (/dokumenti/<id>) stays when the file is
    replaced; the file itself is a StoredFile."""

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("project.id"), index=True)
    #: The event it came from, if any (a presentation of the final event).
    event_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("event.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    file_id: Mapped[int] = mapped_column(sa.ForeignKey("stored_file.id"))
    #: Order on the project page, from 1.
    position: Mapped[int] = mapped_column(default=1)
    is_published: Mapped[bool] = mapped_column(default=True)

    project: Mapped[Project] = relationship()
    event: Mapped[Event | None] = relationship()
    file: Mapped[StoredFile] = relationship()

    def __repr__(self) -> str:
        return f"<Document {self.title!r}>"
