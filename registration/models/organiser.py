"""Staff who log in to the back office."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..types import UTCDateTime
from .base import Timestamps, enum_column


class OrganiserRole(enum.Enum):
    ADMIN = "admin"  #: also manages organiser accounts
    ORGANISER = "organiser"


class Organiser(Timestamps, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    #: Login name; stored lower case.
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    #: Werkzeug's scrypt hash of the password.
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[OrganiserRole] = mapped_column(
        enum_column(OrganiserRole), default=OrganiserRole.ORGANISER
    )
    #: Inactive accounts cannot log in; kept for the audit trail.
    active: Mapped[bool] = mapped_column(default=True)
    name: Mapped[str] = mapped_column(sa.String(200), default="")
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Every session remembers the value it began with; raising it ends them all (logout,
    #: deactivation, reactivation, a new password).
    session_generation: Mapped[int] = mapped_column(default=1, server_default="1")

    def __repr__(self) -> str:
        return f"<Organiser {self.email}>"

    @staticmethod
    def hash_password(password: str) -> str:
        """The stored form of `password`. Slow on purpose: make it before taking a lock."""
        return generate_password_hash(password)

    def set_password(self, password: str) -> None:
        """A new password; sessions opened with the old one end."""
        self.password_hash = self.hash_password(password)
        self.end_sessions()

    def end_sessions(self) -> None:
        """Every session of the account ends at its next request. Change the row under its
        lock (`services.organisers`), so that two raises cannot become one."""
        self.session_generation = (self.session_generation or 0) + 1

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_admin(self) -> bool:
        return self.role is OrganiserRole.ADMIN

    # Flask-Login's user protocol.
    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return str(self.id)
