"""Memory of each gunicorn worker over many public requests: it should stay flat.

    .venv/bin/python benchmarks/memory.py [--postgres URL] [--requests 100000] [--workers 4]
                                          [--connections 8]

Builds a database with the demo (`seed_demo`) and one open event (SQLite in a temporary
folder; PostgreSQL if a URL is given: its schema is dropped and rebuilt), serves the app with
gunicorn as `benchmarks/pages.py` does (no `max_requests`: the workers are never replaced, so
a leak shows) and sends `--requests` requests in turn across the public paths a visitor or a
calendar reads: the upcoming-events list (Latvian and English), the open event's page, its
.ics, the all-events, kind and place feeds, the news feed, the news and projects pages and
the sitemap. Each request is a new visitor without cookies, from Python client threads on
loopback (keep-alive is not used by gunicorn's sync workers anyway).

Prints each worker's resident memory (RSS, from /proc) after every path was read once by
every worker ("before"), after 10,000 requests, and at the end, and how much it grew per
10,000 requests from then on (the first 10,000 fill the caches that are meant to fill:
rendered pages, compiled statements, translations).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402

from benchmarks.throwaway import add_postgres_option, reset_schema  # noqa: E402
from registration import create_app  # noqa: E402
from registration.demo import seed_demo  # noqa: E402
from registration.extensions import db  # noqa: E402
from registration.places import slugify  # noqa: E402
from tests.factories import make_event  # noqa: E402
from tests.live_server import Browser, gunicorn  # noqa: E402

SECRET = "benchmark-secret-key-0123456789abcdef0123456789"
BASE_URL = "http://127.0.0.1"
#: RSS is read after this many requests, and at the end.
CHECKPOINT = 10_000


def build_database(uri: str, instance: str) -> list[tuple[str, str | None]]:
    """The demo and one open event; returns the paths to read, each with the language cookie
    to send (None: the default, Latvian)."""
    reset_schema(uri)
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": uri, "SECRET_KEY": SECRET, "PUBLIC_BASE_URL": BASE_URL},
        instance_path=instance,
    )
    with app.app_context():
        upgrade()
        seed_demo()
        event = make_event(slug="atverts-pasakums", capacity=100_000)
        paths = [
            ("/", None),
            ("/", "en"),
            (f"/notikumi/{event.slug}", None),
            (f"/notikumi/{event.slug}", "en"),
            (f"/kalendars/notikums/{event.id}.ics", None),
            ("/kalendars/visi.ics", None),
            (f"/kalendars/veids/{event.kind.value}.ics", None),
            (f"/kalendars/vieta/{slugify(event.place)}.ics", None),
            ("/jaunumi.atom", None),
            ("/jaunumi", None),
            ("/projekti", None),
            ("/sitemap.xml", None),
        ]
        db.engine.dispose()
    return paths


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # The parent's pid follows the command name in parentheses and the state.
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return sorted(found)


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


def gunicorn_workers() -> list[int]:
    """The workers of the gunicorn this process started (its master's children)."""
    for pid in children(os.getpid()):
        if b"gunicorn" in Path(f"/proc/{pid}/cmdline").read_bytes():
            return children(pid)
    raise RuntimeError("no gunicorn master among this process's children")


def send(base_url: str, paths: list, count: int, connections: int) -> int:
    """`count` requests in turn across `paths`, by `connections` threads; returns failures."""
    lock = threading.Lock()
    sent = [0]
    failed = [0]

    def client() -> None:
        browser = Browser(base_url)
        try:
            while True:
                with lock:
                    n = sent[0]
                    if n >= count:
                        return
                    sent[0] += 1
                path, language = paths[n % len(paths)]
                browser.cookies.clear()
                if language:
                    browser.cookies["lang"] = language
                status, _, _ = browser.get(path)
                if status != 200:
                    with lock:
                        failed[0] += 1
        finally:
            browser.close()

    threads = [threading.Thread(target=client) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return failed[0]


def run(label: str, uri: str, args) -> None:
    with tempfile.TemporaryDirectory() as instance:
        print(f"\n== {label}: building the database …", flush=True)
        paths = build_database(uri, instance)
        env = {
            "FLASK_SQLALCHEMY_DATABASE_URI": uri,
            "FLASK_SECRET_KEY": SECRET,
            "REGISTRATION_INSTANCE_PATH": instance,
            "FLASK_PUBLIC_BASE_URL": BASE_URL,
            # Reminders for the demo's events are not what is measured.
            "FLASK_SCHEDULER_ENABLED": "false",
            # One line per request would be 100,000 lines on the terminal.
            "FLASK_LOG_LEVEL": "WARNING",
        }
        with gunicorn(env=env, workers=args.workers) as site_url:
            # Every worker reads every path once (more than enough requests to reach each).
            failed = send(site_url, paths, len(paths) * args.workers * 4, args.connections)
            workers = gunicorn_workers()
            readings = {pid: [rss_kib(pid)] for pid in workers}
            started = time.monotonic()
            done = 0
            while done < args.requests:
                batch = min(CHECKPOINT, args.requests - done)
                failed += send(site_url, paths, batch, args.connections)
                done += batch
                if done == CHECKPOINT or done == args.requests:
                    for pid in workers:
                        readings[pid].append(rss_kib(pid))
            took = time.monotonic() - started
            if gunicorn_workers() != workers:
                print("(a worker was replaced during the run: its figures are not comparable)")
        print(
            f"{'worker':>8}{'before':>12}{f'at {CHECKPOINT:,}':>12}{'after':>12}{'per 10,000':>14}"
        )
        later = (args.requests - CHECKPOINT) / 10_000
        for pid, (before, at_checkpoint, *rest) in readings.items():
            after = rest[-1] if rest else at_checkpoint
            growth = (after - at_checkpoint) / later if later else 0
            print(
                f"{pid:>8}{before / 1024:>10.1f}MB{at_checkpoint / 1024:>10.1f}MB"
                f"{after / 1024:>10.1f}MB{growth:>+11.0f} KB"
            )
        print(
            f"({done:,} requests over {len(paths)} paths in {took:.0f} s, {failed} not 200; "
            f"{args.workers} workers, {args.connections} client threads, load average "
            f"{os.getloadavg()[0]:.2f})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_postgres_option(parser)
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    if args.requests < CHECKPOINT:
        parser.error(f"--requests must be at least {CHECKPOINT:,}")
    with tempfile.TemporaryDirectory() as folder:
        run("SQLite", f"sqlite:///{folder}/bench.sqlite3", args)
    if args.postgres:
        run("PostgreSQL", args.postgres, args)
    else:
        print("\n(PostgreSQL skipped: pass --postgres URL or set BENCHMARK_DATABASE_URL)")


if __name__ == "__main__":
    main()
