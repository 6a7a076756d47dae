"""How long the all-events calendar feed takes with 1,000 events, beside one event's file.

Run: .venv/bin/python benchmarks/calendar_feeds.py [--events 1000] [--runs 15]

Instructions of a cold build, a figure the load of a shared machine does not move (divide
valgrind's "Collected" count by --runs):

    valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file=/tmp/feeds.cg \
        .venv/bin/python benchmarks/calendar_feeds.py --runs 5 --count-instructions

Builds a throwaway SQLite database, fills it with events of every kind (study trips with pickup
stops and a programme, online events, recently cancelled ones), then asks the app through its
test client, as a calendar app would: the whole feed, the feed again with its ETag (304), and
one event's file. Prints the median of several runs: the feed built afresh (its cache
emptied before each run), served from the cache, and answered 304. Target: a cold feed of
1,000 events under 100 ms.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import argparse  # noqa: E402
import logging  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from datetime import timedelta  # noqa: E402

from flask_migrate import upgrade  # noqa: E402

from registration import create_app  # noqa: E402
from registration.extensions import db  # noqa: E402
from registration.models import (  # noqa: E402
    Event,
    EventKind,
    EventStatus,
    PickupStop,
    ProgrammeItem,
)
from registration.places import DEFAULT_PLACES  # noqa: E402
from registration.timeutil import now_utc  # noqa: E402

KINDS = list(EventKind)


def fill(count: int) -> None:
    start = now_utc().replace(second=0, microsecond=0)
    for n in range(count):
        kind = KINDS[n % len(KINDS)]
        starts_at = start + timedelta(days=n % 400 - 60, hours=n % 9)
        cancelled = n % 50 == 0
        event = Event(
            slug=f"notikums-{n}",
            kind=kind,
            status=EventStatus.CANCELLED if cancelled else EventStatus.PUBLISHED,
            cancelled_at=start - timedelta(days=3) if cancelled else None,
            title=f"Seminārs nr. {n}: „Līdzdalība, kopiena; nākotne”",
            summary="Sarunas par biedrību darbu un iedzīvotāju līdzdalību pagastā.",
            description=(
                "Domnīcā satiekas vietējo biedrību pārstāvji un aktīvi iedzīvotāji, lai kopā "
                "izvērtētu situāciju pagastā: kas izdodas, kas traucē un ko darīt.\n\n"
                "Dalība ir bez maksas."
            ),
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=3),
            venue_name="Kultūras nams",
            venue_address="Skolas iela 1",
            place=DEFAULT_PLACES[n % len(DEFAULT_PLACES)],
            is_online=n % 7 == 0,
            online_url="https://meet.example.org/x" if n % 7 == 0 else None,
            capacity=30,
        )
        if kind is EventKind.STUDY_TRIP:
            event.pickup_stops = [
                PickupStop(
                    position=i,
                    place=f"Pietura {i}",
                    departs_at=starts_at + timedelta(minutes=20 * i),
                )
                for i in range(1, 4)
            ]
            event.programme = [
                ProgrammeItem(position=i, starts_at=starts_at + timedelta(hours=i), place="Sēlija", description="Tikšanās ar biedrību")
                for i in range(1, 5)
            ]  # fmt: skip
        db.session.add(event)
    db.session.commit()


def median_ms(
    client, url: str, runs: int, headers: dict | None = None, status: int = 200, before=None
) -> float:
    timings = []
    for _ in range(runs):
        if before is not None:
            before()
        began = time.perf_counter()
        response = client.get(url, headers=headers or {})
        timings.append((time.perf_counter() - began) * 1000)
        assert response.status_code == status, (url, response.status_code)
    return statistics.median(timings)


def count_cold_builds(client, runs: int, forget_built_files) -> None:
    control = ["callgrind_control", "--instr"]
    subprocess.run([*control, "on", str(os.getpid())], check=False, capture_output=True)
    for _ in range(runs):
        forget_built_files()
        assert client.get("/kalendars/visi.ics").status_code == 200
    subprocess.run([*control, "off", str(os.getpid())], check=False, capture_output=True)
    print(f"counted {runs} cold builds of the all-events feed")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument(
        "--count-instructions",
        action="store_true",
        help="under valgrind's callgrind: count only the cold builds, then stop",
    )
    args = parser.parse_args()
    logging.disable(logging.INFO)  # one access-log line per request would drown the figures

    with tempfile.TemporaryDirectory() as folder:
        config = {
            "SECRET_KEY": "benchmark-only-secret-key-0123456789abcdef",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/benchmark.sqlite3",
            "PUBLIC_BASE_URL": "https://pasakumi.example.lv",
        }
        app = create_app(config, instance_path=folder)
        with app.app_context():
            upgrade()
            fill(args.events)
            one = db.session.scalar(db.select(Event.id).limit(1))
            db.session.remove()
            db.engine.dispose()

        client = app.test_client()
        feed = client.get("/kalendars/visi.ics")  # warm up: templates, translations, VTIMEZONE
        in_feed = feed.data.count(b"BEGIN:VEVENT")
        etag = feed.headers["ETag"]
        client.get(f"/kalendars/notikums/{one}.ics")

        def forget_built_files() -> None:
            for name in ("calendar_feeds", "calendar_events"):
                app.extensions.pop(f"render_cache:{name}", None)

        if args.count_instructions:
            count_cold_builds(client, args.runs, forget_built_files)
            return
        cold_ms = median_ms(client, "/kalendars/visi.ics", args.runs, before=forget_built_files)
        feed_ms = median_ms(client, "/kalendars/visi.ics", args.runs)
        not_modified_ms = median_ms(
            client, "/kalendars/visi.ics", args.runs, {"If-None-Match": etag}, status=304
        )
        single_ms = median_ms(client, f"/kalendars/notikums/{one}.ics", args.runs)
        with app.app_context():
            db.engine.dispose()

    print(f"events in the database: {args.events}; in the all-events feed: {in_feed}")
    print(f"feed size: {len(feed.data) / 1024:.0f} KiB; median of {args.runs} runs each")
    print(f"all-events feed, cold:      {cold_ms:8.1f} ms   target < 100 ms")
    print(f"all-events feed (200):      {feed_ms:8.1f} ms   (built once, then cached)")
    print(f"all-events feed (304 ETag): {not_modified_ms:8.1f} ms")
    print(f"one event file (200):       {single_ms:8.1f} ms")
    print(f"per event in a cold feed:   {cold_ms / max(in_feed, 1):8.3f} ms")


if __name__ == "__main__":
    main()
