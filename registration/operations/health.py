"""`GET /healthz`: can this app server do its work? For uptime monitors and load balancers.

No login, no personal data, and cheap: one connection, four small indexed queries and a
look at the disk. 200 with the figures when all is well; 503 with the reasons when

- the database cannot be reached (the reason is also logged),
- the schema is not the one this code expects (run `flask db upgrade`),
- the oldest message waiting in the outbox has waited longer than
  HEALTH_MAIL_MAX_WAIT_SECONDS (mail is not going out; `flask mail status` says why),
- the instance folder's disk has less than HEALTH_MIN_FREE_DISK_MB free.

The count of failed messages and the scheduled tasks' last runs are reported, not judged:
an address that does not exist is not the server's fault.
"""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Blueprint, Flask, current_app

from ..errors import DATABASE_UNAVAILABLE, database_reason
from ..extensions import db
from ..models import OutboxMessage, OutboxState, ScheduledJob
from ..timeutil import now_utc

logger = logging.getLogger(__name__)

bp = Blueprint("operations", __name__)

DEFAULTS = {
    "HEALTH_MAIL_MAX_WAIT_SECONDS": 3600,
    "HEALTH_MIN_FREE_DISK_MB": 200,
}
WAITING = (OutboxState.PENDING, OutboxState.SENDING)


@dataclass
class Health:
    problems: list[str] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_json(self) -> dict[str, Any]:
        return {"status": "ok" if self.ok else "failing", "problems": self.problems, **self.figures}


def expected_revisions(app: Flask) -> set[str]:
    """The migration heads of the code this process runs (read once per process)."""
    heads = app.extensions.get("health_expected_revisions")
    if heads is None:
        directory = app.extensions["migrate"].directory
        heads = set(ScriptDirectory(directory).get_heads())
        app.extensions["health_expected_revisions"] = heads
    return heads


def _seconds_since(moment: datetime | None, now: datetime) -> int | None:
    return None if moment is None else max(int((now - moment).total_seconds()), 0)


def _check_schema(conn, health: Health) -> None:
    current = set(MigrationContext.configure(conn).get_current_heads())
    expected = expected_revisions(current_app)
    health.figures["migrations"] = {"current": sorted(current), "expected": sorted(expected)}
    if current != expected:
        health.problems.append(
            "the database schema is not the one this version expects; run flask db upgrade"
        )


def _check_outbox(conn, health: Health, now: datetime) -> None:
    oldest = conn.scalar(
        sa.select(sa.func.min(OutboxMessage.created_at)).where(OutboxMessage.state.in_(WAITING))
    )
    failed = conn.scalar(
        sa.select(sa.func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.state == OutboxState.FAILED)
    )
    waited = _seconds_since(oldest, now)
    health.figures["mail"] = {"oldest_waiting_seconds": waited, "failed": failed}
    limit = current_app.config["HEALTH_MAIL_MAX_WAIT_SECONDS"]
    if limit and waited is not None and waited > limit:
        health.problems.append(
            f"the oldest message in the outbox has waited {waited // 60} minutes; "
            "mail is not going out (see flask mail status)"
        )


def _report_jobs(conn, health: Health, now: datetime) -> None:
    jobs = conn.execute(
        sa.select(ScheduledJob.name, ScheduledJob.last_finished_at, ScheduledJob.last_error)
    )
    health.figures["scheduled_tasks"] = {
        name: {
            "last_run_seconds_ago": _seconds_since(finished, now),
            "last_run_failed": bool(error),
        }
        for name, finished, error in jobs
    }


def _check_database(health: Health, now: datetime) -> None:
    try:
        with db.engine.connect() as conn:
            _check_schema(conn, health)
            if health.ok:
                _check_outbox(conn, health, now)
                _report_jobs(conn, health, now)
    except DATABASE_UNAVAILABLE as exc:
        reason = database_reason(exc)
        logger.warning("health check: database unavailable: %s", reason)
        health.figures["database"] = "unreachable"
        health.problems.append(f"database unreachable: {reason}")
        return
    health.figures["database"] = "ok"


def _check_disk(health: Health) -> None:
    free_mb = shutil.disk_usage(current_app.instance_path).free // (1024 * 1024)
    health.figures["disk"] = {"instance_free_mb": free_mb}
    minimum = current_app.config["HEALTH_MIN_FREE_DISK_MB"]
    if free_mb < minimum:
        health.problems.append(
            f"only {free_mb} MB free on the instance folder's disk (at least {minimum} MB needed)"
        )


def check_health() -> Health:
    """Everything `/healthz` reports; needs an app context."""
    health = Health()
    _check_database(health, now_utc())
    _check_disk(health)
    return health


@bp.get("/healthz")
def healthz():
    health = check_health()
    return health.as_json(), 200 if health.ok else 503, {"Cache-Control": "no-store"}


def init_app(app: Flask) -> None:
    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    app.register_blueprint(bp)
