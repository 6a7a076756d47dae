"""How long a sign-up holds its event's lock, and how much of that is writing its email.

    .venv/bin/python benchmarks/lock_hold.py [--postgres URL] [--sign-ups 300]

Builds a throwaway database (SQLite in a temporary folder; PostgreSQL if a URL is given: its
schema is dropped and rebuilt) with one open event, then signs people up one after another
the way the site does (`signup_guard.sign_up_online`: the sign-up limits, then the booking)
in this process, with the mail handlers on (the outbox rows are written in the booking
transaction) and no mail sent. For each sign-up it times, on the database connection itself,
from the statement that takes the lock (SELECT … FOR UPDATE on PostgreSQL, or the upsert of the
event's sign-up counter if it came first; BEGIN IMMEDIATE on SQLite) to the end of the COMMIT
that releases it, and the part of that spent in the `registration_created` receivers (queuing
the emails, which the sender writes later).
Prints the median, 90th percentile and maximum of each; the CPU time this process spent
holding the lock (`time.thread_time`) and of the whole sign-up (`time.process_time`) beside
them, as load on a shared machine stretches the wall-clock figures.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from flask_migrate import upgrade  # noqa: E402

from benchmarks.throwaway import add_postgres_option, reset_schema  # noqa: E402
from registration import create_app, signals  # noqa: E402
from registration.extensions import db  # noqa: E402
from registration.models import Event, EventKind, EventStatus  # noqa: E402
from registration.services import booking, signup_guard  # noqa: E402
from registration.timeutil import now_utc  # noqa: E402

SECRET = "benchmark-secret-key-0123456789abcdef0123456789"


class LockClock:
    """Times each lock, from the statement that takes it to the end of the commit."""

    def __init__(self) -> None:
        self.locked_at: float | None = None
        self.cpu_at = 0.0
        self.holds: list[float] = []
        #: This thread's CPU time while holding the lock (what the load of the machine does
        #: not stretch; the database server's own work is not in it).
        self.cpu_holds: list[float] = []
        self.in_receivers: list[float] = []
        self._receivers = 0.0
        self._committing = False

    def statement(self, conn, cursor, statement, *args) -> None:
        if self.locked_at is None and (
            "FOR UPDATE" in statement
            or statement.startswith("BEGIN IMMEDIATE")
            # The event's sign-up counter row is shared by every sign-up to it, as its lock is.
            or statement.startswith("INSERT INTO rate_limit_counter")
        ):
            self.locked_at = time.perf_counter()
            self.cpu_at = time.thread_time()
            self._receivers = 0.0

    def commit_sent(self, conn) -> None:
        self._committing = True

    def committed(self, session) -> None:
        # A savepoint released (the outbox's dedupe) is no commit: the lock is still held.
        if self.locked_at is not None and self._committing:
            self._committing = False
            self.holds.append(time.perf_counter() - self.locked_at)
            self.cpu_holds.append(time.thread_time() - self.cpu_at)
            self.in_receivers.append(self._receivers)
            self.locked_at = None

    def timed_send(self, send):
        def wrapped(*args, **kwargs):
            started = time.perf_counter()
            try:
                return send(*args, **kwargs)
            finally:
                self._receivers += time.perf_counter() - started

        return wrapped


def open_event() -> int:
    now = now_utc().replace(microsecond=0)
    event = Event(
        slug="pasakums", kind=EventKind.THINK_TANK, status=EventStatus.PUBLISHED,
        title="NVO domnīca", summary="Sarunas par biedrību darbu.",
        starts_at=now + timedelta(days=7), ends_at=now + timedelta(days=7, hours=3),
        venue_name="Tautas nams", venue_address="Skrīveri", place="Skrīveru pagasts",
        capacity=100_000, contact_email="info@partneriba.example",
    )  # fmt: skip
    db.session.add(event)
    db.session.commit()
    return event.id


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def run(label: str, uri: str, count: int) -> None:
    reset_schema(uri)
    with tempfile.TemporaryDirectory() as instance:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": uri, "SECRET_KEY": SECRET,
                "PUBLIC_BASE_URL": "http://127.0.0.1", "MAIL_BACKGROUND_SENDER": False,
                "SCHEDULER_ENABLED": False,
                # Counted as on the site, never reached: every sign-up here is one rush.
                "SIGNUP_LIMIT_PER_EVENT": "1000000 per hour",
                "SIGNUP_LIMIT_PER_EMAIL": "1000000 per hour",
            },
            instance_path=instance,
        )  # fmt: skip
        with app.app_context():
            upgrade()
            event_id = open_event()
            clock = LockClock()
            sa.event.listen(db.engine, "before_cursor_execute", clock.statement)
            sa.event.listen(db.engine, "commit", clock.commit_sent)
            sa.event.listen(db.session, "after_commit", clock.committed)
            signal = signals.registration_created
            signal.send = clock.timed_send(signal.send)
            cpu = []
            provenance = signup_guard.Provenance(network_hash="benchmark")
            for n in range(count):
                details = booking.SignUpDetails(
                    first_name="Anna", last_name=f"Bērziņa {n}", email=f"anna{n}@example.lv"
                )
                started = time.process_time()
                signup_guard.sign_up_online(event_id, details, provenance)
                cpu.append(time.process_time() - started)
            del signal.send
            db.engine.dispose()
    holds, receivers = clock.holds[10:], clock.in_receivers[10:]  # after the first ones
    print(f"\n== {label}: {len(holds)} sign-ups (the first 10 left out)")
    print(f"{'ms':34}{'median':>9}{'p90':>9}{'max':>9}")
    for name, values in (
        ("lock held (lock to commit end)", holds),
        ("  of which email receivers", receivers),
        ("  the rest", [h - r for h, r in zip(holds, receivers, strict=True)]),
        ("CPU of this process in the lock", clock.cpu_holds[10:]),
        ("CPU per sign-up", cpu[10:]),
    ):
        print(
            f"{name:34}{statistics.median(values) * 1000:9.2f}"
            f"{percentile(values, 0.9) * 1000:9.2f}{max(values) * 1000:9.2f}"
        )
    print(f"(load average {os.getloadavg()[0]:.2f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_postgres_option(parser)
    parser.add_argument("--sign-ups", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        run("SQLite", f"sqlite:///{folder}/bench.sqlite3", args.sign_ups)
    if args.postgres:
        run("PostgreSQL", args.postgres, args.sign_ups)
    else:
        print("\n(PostgreSQL skipped: pass --postgres URL or set BENCHMARK_DATABASE_URL)")


if __name__ == "__main__":
    main()
