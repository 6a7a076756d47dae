"""Tasks the app runs by itself every so often, one process at a time.

One row per task. A process that finds the task due takes a lease on the row with a single
conditional UPDATE; the database lets only one of several processes (on one server or
many) win it, and a lease left by a process that died runs out. See
`registration/operations/scheduler.py`.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..types import UTCDateTime


class ScheduledJob(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    #: The task ("reminders", "retention").
    name: Mapped[str] = mapped_column(sa.String(40), unique=True)
    #: Not to be started before this moment.
    next_run_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: While running: the process that holds the lease ("host:pid"), and until when.
    leased_by: Mapped[str | None] = mapped_column(sa.String(120))
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Why the last run failed; empty when it succeeded.
    last_error: Mapped[str] = mapped_column(sa.Text, default="")

    def __repr__(self) -> str:
        return f"<ScheduledJob {self.name} next {self.next_run_at:%Y-%m-%d %H:%M}>"
