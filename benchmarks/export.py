"""How long the attendee exports take for an event with 10,000 registrations, and their peak
memory. Targets on this machine: CSV under 1 s, Excel under 3 s.

    .venv/bin/python benchmarks/export.py [--rows 10000] [--database-url URL]

Builds a throwaway SQLite database in a temporary folder (or uses the given database URL,
whose schema it rebuilds: never point it at real data).
"""

from __future__ import annotations

import argparse
import hashlib
import secrets
import tempfile
import time
import tracemalloc
from datetime import timedelta

import sqlalchemy as sa
from flask_migrate import upgrade

from registration import create_app
from registration.extensions import db
from registration.models import (
    Event,
    EventKind,
    EventStatus,
    PickupStop,
    Registration,
    RegistrationStatus,
)
from registration.services import exports
from registration.timeutil import now_utc

FIRST = ["Anna", "Ņina", "Jānis", "Ģirts", "Ilze", "Pēteris", "Līga", "Kārlis", "Žanna", "Ēriks"]
LAST = ["Bērziņa", "Šķēle", "Kalniņš", "Ozols", "Čakste", "Ābele", "Liepa", "Zariņš", "Ķirsis"]


def build(rows: int) -> Event:
    start = now_utc() + timedelta(days=30)
    event = Event(
        slug="etalons", kind=EventKind.STUDY_TRIP, status=EventStatus.PUBLISHED,
        title="Pieredzes apmaiņas brauciens (etalons)", starts_at=start,
        ends_at=start + timedelta(hours=12), capacity=rows, confirmed_count=rows,
    )  # fmt: skip
    event.pickup_stops = [
        PickupStop(position=n, place=f"Pietura {n}", departs_at=start + timedelta(minutes=20 * n))
        for n in range(1, 4)
    ]
    db.session.add(event)
    db.session.flush()
    stop_ids = [s.id for s in event.pickup_stops]
    now = now_utc()
    db.session.execute(
        sa.insert(Registration),
        [
            {
                "event_id": event.id,
                "status": RegistrationStatus.CONFIRMED,
                "first_name": FIRST[n % len(FIRST)],
                "last_name": f"{LAST[n % len(LAST)]} {n}",
                "email": f"dalibnieks{n}@example.lv",
                "email_key": f"dalibnieks{n}@example.lv",
                "phone": f"+3712{n:07d}",
                "place": "Skrīveru pagasts",
                "place_other": "",
                "organisation": '=HYPERLINK("x")' if n % 100 == 0 else "Biedrība „Sēlis”",
                "pickup_stop_id": stop_ids[n % 3],
                "needs": "",
                "comment": "",
                "consent_notice_version": "2026-11",
                "photo_opt_out": n % 7 == 0,
                "wants_news": False,
                "language": "lv",
                "queued_at": now,
                "confirmed_at": now,
                "manage_nonce": secrets.token_hex(16),
                "manage_token_hash": hashlib.sha256(str(n).encode()).hexdigest(),
                "organiser_note": "",
                "created_at": now,
                "updated_at": now,
            }
            for n in range(rows)
        ],
    )
    db.session.commit()
    return event


def measure(label: str, func, event: Event) -> float:
    """Time without tracing (tracemalloc slows Python down several times), then memory."""
    db.session.expire_all()
    started = time.perf_counter()
    body = func(event, "active")
    elapsed = time.perf_counter() - started
    db.session.expire_all()
    tracemalloc.start()
    func(event, "active")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"{label:5} {elapsed:6.2f} s   peak memory {peak / 2**20:6.1f} MiB   size {len(body) / 2**20:5.1f} MiB"
    )
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as instance:
        uri = args.database_url or f"sqlite:///{instance}/benchmark.sqlite3"
        app = create_app({"SECRET_KEY": "benchmark-" + "k" * 40, "SQLALCHEMY_DATABASE_URI": uri},
                         instance_path=instance)  # fmt: skip
        with app.app_context(), app.test_request_context():
            if args.database_url:
                db.drop_all()
                with db.engine.begin() as conn:
                    conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
            upgrade()
            event = build(args.rows)
            print(f"{args.rows} registrations on {db.engine.dialect.name}")
            csv_time = measure("CSV", exports.to_csv, event)
            xlsx_time = measure("XLSX", exports.to_xlsx, event)
            db.session.remove()
            db.engine.dispose()
    verdict = "within" if csv_time < 1 and xlsx_time < 3 else "OUTSIDE"
    print(f"{verdict} the targets (CSV < 1 s, XLSX < 3 s)")


if __name__ == "__main__":
    main()
