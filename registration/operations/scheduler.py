"""The app's own clock: reminders and the retention purge without cron.

Each web process runs a thread that looks every SCHEDULER_POLL_SECONDS for a task that is
due (`scheduled_job` rows, see `models/schedule.py`). Taking a task is one conditional
UPDATE on its row, which the database grants to one process only, so however many workers
and servers run, each due run happens once; a lease left by a process that died runs out
after SCHEDULER_LEASE_SECONDS and another process takes the task over. Both tasks are safe
to repeat anyway (a reminder has a dedupe key; anonymising twice changes nothing more).

| setting | default | what it is |
| --- | --- | --- |
| `SCHEDULER_ENABLED` | on (off when TESTING) | run the tasks from the web processes |
| `SCHEDULER_POLL_SECONDS` | 60 | how often a process looks for a due task |
| `SCHEDULER_LEASE_SECONDS` | 1800 | how long a run may take before another process may take over |
| `MAIL_REMINDER_INTERVAL_SECONDS` | 300 | how often reminders are queued |
| `MAIL_THANKS_INTERVAL_SECONDS` | 300 | how often thank-yous due after events are queued |
| `ANONYMISE_INTERVAL_SECONDS` | 86400 | how often the retention purge runs; 0: never |

Installs that prefer systemd timers (`deploy/systemd/`) set `SCHEDULER_ENABLED = False` and
run `flask reminders send` and `flask data anonymise` from the timers instead.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import Flask, current_app
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..mail import reminders, thanks
from ..models import ScheduledJob
from ..privacy import cli as privacy_cli
from ..privacy import retention
from ..services import unit_of_work
from ..timeutil import now_utc

logger = logging.getLogger(__name__)

EXTENSION_KEY = "scheduler"
DEFAULTS = {
    "SCHEDULER_ENABLED": None,
    "SCHEDULER_POLL_SECONDS": 60,
    "SCHEDULER_LEASE_SECONDS": 1800,
}
#: A failed run is tried again after this long (or its interval, if shorter).
RETRY_SECONDS = 600


def _queue_reminders() -> str:
    with unit_of_work():
        queued = reminders.queue_due_reminders()
    return f"{queued} reminders queued" if queued else ""


def _queue_thanks() -> str:
    with unit_of_work():
        queued = thanks.queue_due_thanks()
    return f"{queued} thank-you messages queued" if queued else ""


def _anonymise() -> str:
    report = retention.anonymise_expired()
    return privacy_cli.summary(report) if report.changed_anything else ""


@dataclass(frozen=True)
class Job:
    name: str
    #: The setting that holds the seconds between runs (0 or None: the task is off).
    interval_setting: str
    #: Does the work and commits it; returns a line for the log, empty when nothing changed.
    run: Callable[[], str]

    def interval(self, app: Flask) -> float:
        return float(app.config.get(self.interval_setting) or 0)


JOBS = (
    Job("reminders", "MAIL_REMINDER_INTERVAL_SECONDS", _queue_reminders),
    Job("thanks", "MAIL_THANKS_INTERVAL_SECONDS", _queue_thanks),
    Job("retention", "ANONYMISE_INTERVAL_SECONDS", _anonymise),
)


def process_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _ensure_rows(names: list[str], now: datetime) -> None:
    """Create the rows of tasks met for the first time, due at once."""
    with db.engine.connect() as conn:
        known = set(conn.scalars(sa.select(ScheduledJob.name)))
    for name in names:
        if name in known:
            continue
        try:
            with db.engine.begin() as conn:
                conn.execute(
                    sa.insert(ScheduledJob).values(name=name, next_run_at=now, last_error="")
                )
        except IntegrityError:
            pass  # another process made it first


def claim(name: str, owner: str, now: datetime, lease: timedelta) -> bool:
    """Take the task if it is due and nobody holds it; only one caller can win."""
    statement = (
        sa.update(ScheduledJob)
        .where(
            ScheduledJob.name == name,
            ScheduledJob.next_run_at <= now,
            sa.or_(ScheduledJob.lease_expires_at.is_(None), ScheduledJob.lease_expires_at < now),
        )
        .values(leased_by=owner, lease_expires_at=now + lease, last_started_at=now)
    )
    with db.engine.begin() as conn:
        return conn.execute(statement).rowcount == 1


def finish(name: str, owner: str, next_run_at: datetime, error: str = "") -> None:
    """Give the task back with its next due time; a lost lease changes nothing."""
    statement = (
        sa.update(ScheduledJob)
        .where(ScheduledJob.name == name, ScheduledJob.leased_by == owner)
        .values(
            next_run_at=next_run_at,
            leased_by=None,
            lease_expires_at=None,
            last_finished_at=now_utc(),
            last_error=error,
        )
    )
    with db.engine.begin() as conn:
        conn.execute(statement)


def run_due_jobs(owner: str | None = None, now: datetime | None = None) -> list[str]:
    """Run every task that is due and that this caller wins; returns their names.

    Needs an app context. A task that fails is logged, recorded on its row and tried again
    after RETRY_SECONDS; the others still run.
    """
    app = current_app._get_current_object()
    owner = owner or process_name()
    lease = timedelta(seconds=app.config["SCHEDULER_LEASE_SECONDS"])
    jobs = [job for job in JOBS if job.interval(app) > 0]
    _ensure_rows([job.name for job in jobs], now or now_utc())
    ran = []
    for job in jobs:
        if not claim(job.name, owner, now or now_utc(), lease):
            continue
        ran.append(job.name)
        interval = job.interval(app)
        try:
            summary = job.run()
        except Exception as exc:
            db.session.rollback()
            logger.exception("scheduled task %s failed; trying again later", job.name)
            retry = now_utc() + timedelta(seconds=min(interval, RETRY_SECONDS))
            finish(job.name, owner, retry, error=f"{type(exc).__name__}: {exc}"[:2000])
            continue
        finally:
            db.session.remove()
        if summary:
            logger.info("scheduled task %s: %s", job.name, summary)
        finish(job.name, owner, now_utc() + timedelta(seconds=interval))
    return ran


class Scheduler:
    """The thread of one web process that runs due tasks. Started lazily in the process
    that serves requests, so each gunicorn worker (after the fork) has its own."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._pid: int | None = None
        self._lock = threading.Lock()

    @property
    def is_running(self) -> bool:
        return self._thread is not None and self._thread.is_alive() and self._pid == os.getpid()

    def ensure_started(self) -> None:
        if self.is_running:
            return
        with self._lock:
            if self.is_running:
                return
            self._stop.clear()
            self._pid = os.getpid()
            self._thread = threading.Thread(target=self._run, name="scheduler", daemon=True)
            self._thread.start()

    def stop(self, timeout: float | None = None) -> None:
        self._stop.set()
        thread = self._thread
        if thread is not None and thread.is_alive() and thread is not threading.current_thread():
            thread.join(timeout)

    def _run(self) -> None:
        poll = self.app.config["SCHEDULER_POLL_SECONDS"]
        owner = process_name()
        while not self._stop.is_set():
            try:
                with self.app.app_context():
                    run_due_jobs(owner)
            except Exception:
                # The database away for a moment must not end the thread.
                logger.exception("the scheduler could not look for due tasks; trying again")
            self._stop.wait(poll)


def scheduler(app: Flask) -> Scheduler | None:
    return app.extensions.get(EXTENSION_KEY)


def init_app(app: Flask) -> None:
    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    setting = app.config["SCHEDULER_ENABLED"]
    if not ((not app.testing) if setting is None else bool(setting)):
        return
    thread = Scheduler(app)
    app.extensions[EXTENSION_KEY] = thread

    @app.before_request
    def start_scheduler() -> None:
        thread.ensure_started()
