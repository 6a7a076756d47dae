"""The organisation that runs the site, as its organisers describe it in the back office."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import now_utc
from ..types import UTCDateTime
from .stored_file import StoredFile

#: The one row's id: there is one organisation per installation.
THE_ORGANISATION = 1


class Organisation(db.Model):
    """Name, registration number, address and contacts: shown in the header, emails,
    calendar files, the privacy notice (the controller) and the sign-in sheet.

    Until an organiser saves it there is no row, and the configuration's values are used.
    """

    __table_args__ = (sa.CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(sa.String(200))
    #: The register's number, e.g. 40008012345 (Uzņēmumu reģistrs).
    registration_number: Mapped[str] = mapped_column(sa.String(40), default="")
    address: Mapped[str] = mapped_column(sa.String(300), default="")
    email: Mapped[str] = mapped_column(sa.String(254), default="")
    phone: Mapped[str] = mapped_column(sa.String(40), default="")
    website: Mapped[str] = mapped_column(sa.String(300), default="")
    logo_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("stored_file.id", ondelete="SET NULL")
    )
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, onupdate=now_utc)

    logo: Mapped[StoredFile | None] = relationship()

    def __repr__(self) -> str:
        return f"<Organisation {self.name!r}>"
