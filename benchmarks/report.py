"""How long the funder's report and the evidence pack take for a big project, and their peak
memory. Targets on this machine (50 activities, 10,000 registrations): the pack under 10 s
and under 200 MiB peak memory.

    .venv/bin/python benchmarks/report.py [--events 50] [--rows 10000] [--database-url URL]

Builds a throwaway SQLite database in a temporary folder (or uses the given database URL,
whose schema it rebuilds: never point it at real data). Then it asks for every download
through the back office, as an organiser's browser would, and checks each answers 200.
"""

from __future__ import annotations

import argparse
import hashlib
import resource
import secrets
import tempfile
import time
import tracemalloc
import zipfile
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask_migrate import upgrade

from registration import create_app
from registration.extensions import db
from registration.models import (
    Attendance,
    Event,
    EventKind,
    EventStatus,
    Organiser,
    Project,
    ProjectStatus,
    Registration,
    RegistrationSource,
    RegistrationStatus,
)
from registration.services import evidence_pack, report, report_files

FIRST = ["Anna", "Ņina", "Jānis", "Ģirts", "Ilze", "Pēteris", "Līga", "Kārlis", "Žanna", "Ēriks"]
LAST = ["Bērziņa", "Šķēle", "Kalniņš", "Ozols", "Čakste", "Ābele", "Liepa", "Zariņš", "Ķirsis"]
PLACES = ["Skrīveru pagasts", "Koknese", "Mazzalves pagasts", "Neretas pagasts", "Sērenes pagasts"]
KINDS = [EventKind.THINK_TANK, EventKind.SEMINAR, EventKind.STUDY_TRIP]
PASSWORD = "etalona-parole-" + "x" * 20
START = datetime(2021, 2, 1, 8, 0, tzinfo=UTC)


def _registration(event_id: int, n: int, start: datetime) -> dict:
    person = n % 3000  # people come to several activities
    return {
        "event_id": event_id,
        "status": RegistrationStatus.CONFIRMED,
        "first_name": FIRST[person % len(FIRST)],
        "last_name": f"{LAST[person % len(LAST)]} {person}",
        "email": f"dalibnieks{person}@example.lv" if person % 20 else "",
        "email_key": f"dalibnieks{person}@example.lv" if person % 20 else None,
        "name_key": f"dalibnieks {person}",
        "phone": f"+3712{n:07d}",
        "place": PLACES[person % len(PLACES)],
        "place_other": "",
        "organisation": "Biedrība „Sēlis”" if person % 4 == 0 else "",
        "needs": "",
        "comment": "",
        "language": "lv",
        "source": RegistrationSource.WALK_IN if n % 25 == 0 else RegistrationSource.ONLINE,
        "attendance": Attendance.ATTENDED if n % 5 else Attendance.ABSENT,
        "queued_at": start - timedelta(days=3),
        "confirmed_at": start - timedelta(days=3),
        "manage_nonce": secrets.token_hex(16),
        "manage_token_hash": hashlib.sha256(f"{event_id}-{n}".encode()).hexdigest(),
        "organiser_note": "",
        "created_at": start - timedelta(days=3),
        "updated_at": start - timedelta(days=3),
    }


def build(events: int, rows: int) -> Project:
    project = Project(
        slug="etalons",
        title="Iedzīvotāju stiprināšana (etalons)",
        code="2021.LV/NVOF/ETALONS",
        status=ProjectStatus.PUBLISHED,
        funding_line="Finansējums: Latvijas valsts budžeta finansēta programma „NVO fonds”",
    )
    db.session.add(project)
    per_event = rows // events
    for e in range(events):
        start = START + timedelta(days=4 * e)
        event = Event(
            slug=f"etalons-{e}",
            kind=KINDS[e % len(KINDS)],
            status=EventStatus.PUBLISHED,
            title=f"Domnīca Mazzalvē {e + 1}",
            starts_at=start,
            ends_at=start + timedelta(hours=3),
            venue_name="Tautas nams",
            place=PLACES[e % len(PLACES)],
            capacity=per_event,
            confirmed_count=per_event,
            project=project,
        )
        db.session.add(event)
        db.session.flush()
        db.session.execute(
            sa.insert(Registration),
            [_registration(event.id, e * per_event + n, start) for n in range(per_event)],
        )
    organiser = Organiser(email="etalons@partneriba.example", name="Etalons")
    organiser.set_password(PASSWORD)
    db.session.add(organiser)
    db.session.commit()
    return project


def measure(label: str, func) -> tuple[float, float]:
    """Seconds without tracing (tracemalloc slows Python down), then peak traced MiB."""
    db.session.expire_all()
    started = time.perf_counter()
    func()
    elapsed = time.perf_counter() - started
    db.session.expire_all()
    tracemalloc.start()
    func()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{label:28} {elapsed:6.2f} s   peak memory {peak / 2**20:6.1f} MiB")
    return elapsed, peak / 2**20


def write_pack(project: Project) -> int:
    with tempfile.TemporaryFile() as target:
        evidence_pack.write(evidence_pack.build(project), target)
        size = target.tell()
        target.seek(0)
        with zipfile.ZipFile(target) as archive:
            assert archive.testzip() is None
    return size


def through_the_back_office(app, project: Project) -> None:
    client = app.test_client()
    response = client.post(
        "/admin/login", data={"email": "etalons@partneriba.example", "password": PASSWORD}
    )
    assert response.status_code == 302, response.status_code
    base = f"/admin/projects/{project.id}"
    for path in (
        "report",
        "report.xlsx",
        "report.pdf",
        "participants.csv",
        "participants.xlsx",
        "evidence.zip",
    ):
        started = time.perf_counter()
        response = client.get(f"{base}/{path}")
        size = len(response.get_data())
        response.close()
        assert response.status_code == 200, (path, response.status_code)
        elapsed = time.perf_counter() - started
        print(f"GET {path:24} {elapsed:6.2f} s   {size / 2**20:6.1f} MiB   200")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=50)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as instance:
        uri = args.database_url or f"sqlite:///{instance}/benchmark.sqlite3"
        config = {
            "SECRET_KEY": "benchmark-" + "k" * 40,
            "SQLALCHEMY_DATABASE_URI": uri,
            "RATELIMIT_ENABLED": False,
            "WTF_CSRF_ENABLED": False,
        }
        app = create_app(config, instance_path=instance)
        with app.app_context():
            if args.database_url:
                db.drop_all()
                with db.engine.begin() as conn:
                    conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
            upgrade()
            project = build(args.events, args.rows)
            print(
                f"{args.events} activities, {args.rows} registrations on {db.engine.dialect.name}"
            )
            with app.test_request_context():
                measure("report figures", lambda: report.build(project))
                measure("report PDF", lambda: report_files.to_pdf(report.build(project)))
                pack_time, pack_peak = measure("evidence pack (ZIP)", lambda: write_pack(project))
                size = write_pack(project)
            print(f"evidence pack size {size / 2**20:.1f} MiB")
            through_the_back_office(app, project)
            db.session.remove()
            db.engine.dispose()
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process peak resident memory {max_rss:.0f} MiB")
    verdict = "within" if pack_time < 10 and pack_peak < 200 else "OUTSIDE"
    print(f"{verdict} the targets (pack < 10 s, < 200 MiB)")


if __name__ == "__main__":
    main()
