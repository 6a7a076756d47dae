"""Small pieces the model modules share."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..timeutil import now_utc
from ..types import UTCDateTime


def enum_column(enum_cls: type[enum.Enum], **kwargs) -> sa.Enum:
    """A portable enum: VARCHAR plus a CHECK constraint, storing the member's value."""
    return sa.Enum(
        enum_cls,
        native_enum=False,
        create_constraint=True,
        length=20,
        validate_strings=True,
        values_callable=lambda members: [m.value for m in members],
        name=enum_cls.__name__.lower(),
        **kwargs,
    )


class Timestamps:
    #: When the row was created (UTC).
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    #: When the row last changed (UTC).
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, onupdate=now_utc)
