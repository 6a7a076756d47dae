"""Addresses and domains from which the public site takes no sign-ups."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timeutil import now_utc
from ..types import UTCDateTime


class BlockedAddress(db.Model):
    """One entry of the block list: an email address, or a domain with its subdomains."""

    id: Mapped[int] = mapped_column(primary_key=True)
    #: `name@example.lv` or `example.lv`, lower case.
    value: Mapped[str] = mapped_column(sa.String(254), unique=True)
    #: Why it was added, for the organisers' own memory.
    note: Mapped[str] = mapped_column(sa.String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    @property
    def is_domain(self) -> bool:
        return "@" not in self.value

    def __repr__(self) -> str:
        return f"<BlockedAddress {self.value}>"
