"""Requests per second for the public pages a rush reads, each beside the hello-world
ceiling measured in the same run.

    .venv/bin/python benchmarks/pages.py [--postgres URL] [--seconds 5] [--workers 4]
                                         [--connections 20] [--rounds 1]

Builds the database of `benchmarks/signup.py` (500 events, 60 of them upcoming, 50,000
registrations; SQLite in a temporary folder, PostgreSQL if a URL is given: its schema is
dropped and rebuilt), serves the app and a hello-world Flask app with the same gunicorn
settings, and loads each path with wrk (2 threads, 20 connections) when it is installed,
otherwise with Python client threads (slower: the client then takes part of the 2 cores).
The scheduler is off (the database's upcoming events would otherwise get their reminders
mailed during the run); each request's log line goes to stderr as in production.

Paths: the upcoming-events list, an open event's page with its sign-up form (every request a
new visitor without cookies, as a rush is), that event's .ics, the all-events feed, a kind's
feed and a place's feed. The ceiling is measured before and after the paths; the ratio is to
their mean. Each page is checked once before it is loaded (status 200).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from benchmarks.signup import SECRET, build_database, load  # noqa: E402
from benchmarks.throwaway import add_postgres_option  # noqa: E402
from registration.models import Event  # noqa: E402
from registration.places import slugify  # noqa: E402
from tests.live_server import Browser, gunicorn  # noqa: E402

BASE_URL = "http://127.0.0.1"
REQUESTS_PER_SECOND = re.compile(r"Requests/sec:\s+([\d.]+)")
NOT_OK = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
SOCKET_ERRORS = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")


def paths(uri: str, slug: str) -> list[tuple[str, str]]:
    """The measured paths: (label, path)."""
    engine = sa.create_engine(uri)
    with engine.connect() as conn:
        event_id, kind, place = conn.execute(
            sa.select(Event.id, Event.kind, Event.place).where(Event.slug == slug)
        ).one()
    engine.dispose()
    return [
        ("upcoming events list", "/"),
        ("event page with form", f"/notikumi/{slug}"),
        ("event .ics", f"/kalendars/notikums/{event_id}.ics"),
        ("all-events feed", "/kalendars/visi.ics"),
        ("kind feed", f"/kalendars/veids/{kind.value}.ics"),
        ("place feed", f"/kalendars/vieta/{slugify(place)}.ics"),
    ]


def measure(base_url: str, path: str, args) -> tuple[float, int]:
    """Requests per second and responses that were not 2xx/3xx (or failed)."""
    if args.client == "wrk":
        command = [
            "wrk", "-t2", f"-c{args.connections}", f"-d{args.seconds:.0f}s", "--latency",
            base_url + path,
        ]  # fmt: skip
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        rps = float(REQUESTS_PER_SECOND.search(output).group(1))
        errors = int(m.group(1)) if (m := NOT_OK.search(output)) else 0
        if m := SOCKET_ERRORS.search(output):
            errors += sum(int(n) for n in m.groups())
        return rps, errors

    def work(browser, state, index, n):
        browser.cookies.clear()
        status, _, _ = browser.get(path)
        return status == 200

    return load(base_url, work, args.seconds, args.connections)


def check(base_url: str, path: str) -> None:
    browser = Browser(base_url)
    try:
        status, _, _ = browser.get(path)
    finally:
        browser.close()
    if status != 200:
        raise SystemExit(f"{path} answered {status}")


def run(label: str, uri: str, args) -> None:
    with tempfile.TemporaryDirectory() as instance:
        print(f"\n== {label}: building the database …", flush=True)
        slug = build_database(uri, instance)
        measured = [(name, path) for name, path in paths(uri, slug) if (args.only or "") in name]
        env = {
            "FLASK_SQLALCHEMY_DATABASE_URI": uri,
            "FLASK_SECRET_KEY": SECRET,
            "REGISTRATION_INSTANCE_PATH": instance,
            "FLASK_PUBLIC_BASE_URL": BASE_URL,
            # The reminders for the upcoming events are not what is measured.
            "FLASK_SCHEDULER_ENABLED": "false",
        }
        hello = gunicorn(env=env, workers=args.workers, app="benchmarks.hello_app:app")
        site = gunicorn(env=env, workers=args.workers)
        with hello as hello_url, site as site_url:
            for _, path in measured:
                check(site_url, path)
            results: dict[str, list[float]] = {name: [] for name, _ in measured}
            errors = dict.fromkeys(results, 0)
            ceilings = []
            for _ in range(args.rounds):
                measure(hello_url, "/", _warm(args))
                ceilings.append(measure(hello_url, "/", args)[0])
                for name, path in measured:
                    measure(site_url, path, _warm(args))
                    rps, failed = measure(site_url, path, args)
                    results[name].append(rps)
                    errors[name] += failed
                ceilings.append(measure(hello_url, "/", args)[0])
        ceiling = statistics.mean(ceilings)
        print(f"{'':24}{'req/s':>10}{'ceiling':>10}{'ratio':>8}{'errors':>8}")
        for name, rates in results.items():
            rps = statistics.median(rates)
            print(f"{name:24}{rps:10.0f}{ceiling:10.0f}{rps / ceiling:8.2f}{errors[name]:8d}")
        print(
            f"(ceilings {', '.join(f'{c:.0f}' for c in ceilings)}/s; {args.workers} gunicorn "
            f"workers, {args.client} with {args.connections} connections, {args.seconds:.0f} s "
            f"each, {args.rounds} round(s), load average {os.getloadavg()[0]:.2f})"
        )


def _warm(args):
    """The same client for 1 s: every worker boots, connects and renders once."""
    return argparse.Namespace(**{**vars(args), "seconds": 1})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_postgres_option(parser)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument(
        "--client", choices=["wrk", "python"], default="wrk" if shutil.which("wrk") else "python"
    )
    parser.add_argument("--only", help="measure only the paths whose label contains this")
    args = parser.parse_args()
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as folder:
        run("SQLite", f"sqlite:///{folder}/bench.sqlite3", args)
    if args.postgres:
        run("PostgreSQL", args.postgres, args)
    else:
        print("\n(PostgreSQL skipped: pass --postgres URL or set BENCHMARK_DATABASE_URL)")
    print(f"({time.monotonic() - started:.0f} s in all)")


if __name__ == "__main__":
    main()
