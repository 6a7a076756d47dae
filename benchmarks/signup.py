"""Sign-ups per second and the upcoming-events page through gunicorn, beside a hello-world.

    .venv/bin/python benchmarks/signup.py [--postgres URL] [--seconds 5] [--workers 4] [--rounds 3]

Sign-ups are measured two ways, alternately (A/B, `--rounds` times, so that a busy machine
weighs on both alike): each form signs up one person, and a mix where every third form brings
one to three companions. The event asks two questions of its own (one of each person).

Mail is delivered by a thread in each web process, as a default install does; with
FLASK_MAIL_BACKGROUND_SENDER=false in the environment it is left to a separate worker and
the figures show the web processes alone.

Builds a throwaway database (SQLite in a temporary folder; PostgreSQL if a URL is given: its
schema is dropped and rebuilt) with 500 events and 50,000 registrations, serves the app and a
hello-world Flask app with the same gunicorn settings, loads each with the same client
threads, and prints requests per second and the ratio to the ceiling.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from flask_migrate import upgrade  # noqa: E402

from registration import create_app  # noqa: E402
from registration.extensions import db  # noqa: E402
from registration.models import (  # noqa: E402
    Event,
    EventKind,
    EventStatus,
    Question,
    QuestionChoice,
    QuestionKind,
    Registration,
)
from registration.timeutil import now_utc  # noqa: E402
from tests.live_server import Browser, gunicorn  # noqa: E402

EVENTS = 500
REGISTRATIONS = 50_000
UPCOMING = 60
SECRET = "benchmark-secret-key-0123456789abcdef0123456789"
BASE_URL = "http://127.0.0.1"


def build_database(uri: str, instance: str) -> str:
    """Schema by migrations, then 500 events and 50,000 registrations; returns a slug to sign up to."""
    if uri.startswith("postgresql"):
        engine = sa.create_engine(uri)
        with engine.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))
        engine.dispose()
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": uri, "SECRET_KEY": SECRET, "PUBLIC_BASE_URL": BASE_URL},
        instance_path=instance,
    )
    with app.app_context():
        upgrade()
        now = now_utc().replace(microsecond=0)
        kinds = list(EventKind)
        rows = []
        for n in range(EVENTS):
            # Most events are past (the archive of several years); UPCOMING are still ahead.
            offset = timedelta(days=n + 1) if n < UPCOMING else -timedelta(days=n * 2)
            starts = now + offset
            rows.append({
                "uid": f"bench-{n}@registration", "slug": f"pasakums-{n}",
                "kind": kinds[n % len(kinds)].value, "status": EventStatus.PUBLISHED.value,
                "title": f"Pasākums Nr. {n}", "summary": "Sarunas par biedrību darbu pagastā.",
                "description": "", "audience": "", "starts_at": starts,
                "ends_at": starts + timedelta(hours=3), "venue_name": "Tautas nams",
                "venue_address": "Skrīveri", "place": "Skrīveru pagasts", "is_online": False,
                "capacity": 100_000 if n == 0 else 120, "confirmed_count": 0,
                "has_waiting_list": True, "requires_phone": False, "contact_name": "",
                "contact_email": "", "contact_phone": "", "practical_info": "",
                "notify_organiser": False, "cancellation_reason": "", "sequence": 0,
                "created_at": now, "updated_at": now,
            })  # fmt: skip
        db.session.execute(sa.insert(Event), [
            {**r, "starts_at": r["starts_at"], "ends_at": r["ends_at"]} for r in rows
        ])  # fmt: skip
        ids = db.session.scalars(sa.select(Event.id).order_by(Event.id)).all()
        per_event = REGISTRATIONS // EVENTS
        batch = []
        for index, event_id in enumerate(ids):
            for k in range(per_event):
                email = f"e{index}p{k}@example.lv"
                batch.append({
                    "event_id": event_id, "status": "confirmed", "first_name": "Anna",
                    "last_name": f"Bērziņa {k}", "email": email, "email_key": email,
                    "phone": "", "place": "Koknese", "place_other": "", "organisation": "",
                    "needs": "", "comment": "", "consent_notice_version": "bench",
                    "photo_opt_out": False, "wants_news": False, "language": "lv",
                    "source": "online", "queued_at": now, "manage_nonce": f"{index:016x}{k:016x}",
                    "manage_token_hash": f"{index:032x}{k:032x}", "organiser_note": "",
                    "created_at": now, "updated_at": now,
                })  # fmt: skip
        db.session.execute(sa.insert(Registration), batch)
        db.session.execute(
            sa.update(Event).values(confirmed_count=per_event).where(Event.id != ids[0])
        )
        db.session.add_all(
            [
                Question(event_id=ids[0], position=1, kind=QuestionKind.YES_NO,
                         label_lv="Pusdienas", asks_each_person=True),
                Question(event_id=ids[0], position=2, kind=QuestionKind.ONE_CHOICE,
                         label_lv="Darbnīca", choices=[
                             QuestionChoice(position=1, label_lv="Padomes"),
                             QuestionChoice(position=2, label_lv="Budžets"),
                         ]),
            ]
        )  # fmt: skip
        db.session.commit()
        slug = db.session.scalar(sa.select(Event.slug).where(Event.id == ids[0]))
        db.engine.dispose()
    return slug


def load(base_url: str, work, seconds: float, clients: int) -> tuple[float, int]:
    """Run `work(browser, n)` in `clients` threads for `seconds`; requests per second, errors."""
    stop = time.monotonic() + seconds
    done = [0] * clients
    errors = [0] * clients

    def client(index: int) -> None:
        browser = Browser(base_url)
        state = {}
        n = 0
        try:
            while time.monotonic() < stop:
                ok = work(browser, state, index, n)
                n += 1
                if ok:
                    done[index] += 1
                else:
                    errors[index] += 1
        finally:
            browser.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / (time.monotonic() - started), sum(errors)


def get_page(path: str):
    def work(browser, state, index, n):
        status, _, _ = browser.get(path)
        return status == 200

    return work


def hello_post(browser, state, index, n):
    status, _, _ = browser.request("POST", "/", {"n": str(n)})
    return status == 201


_ANSWER_FIELDS = re.compile(r'name="(answers-q\d+)" type="radio" value="([^"]+)"')


def _answers(page: str, prefix: str = "") -> dict[str, str]:
    """The first option of each radio question on the page (the lead's, or a companion's)."""
    found = {}
    for name, value in _ANSWER_FIELDS.findall(page):
        found.setdefault(prefix + name, value)
    return found


def sign_up(slug: str, run: str, *, groups: bool = False):
    """One person per form; with `groups`, every third form brings 1-3 companions."""

    def work(browser, state, index, n):
        if "token" not in state:
            _, _, page = browser.get(f"/notikumi/{slug}")
            state["token"] = Browser.CSRF.search(page).group(1)
            state["answers"] = _answers(page)
        form = {
            "csrf_token": state["token"], "first_name": "Jānis", "last_name": f"Bērziņš {n}",
            "email": f"{run}-{index}-{n}@example.lv", "place": "Koknese", "consent": "y",
            **state["answers"],
        }  # fmt: skip
        companions = (n % 3 == 0) * (1 + n % 9 // 3) if groups else 0
        for i in range(companions):
            form |= {
                f"companions-{i}-first_name": f"Pavadonis {i}",
                f"companions-{i}-last_name": f"Bērziņš {n}",
                f"companions-{i}-place": "Koknese",
                **{f"companions-{i}-{k}": v for k, v in state["answers"].items()
                   if k == next(iter(state["answers"]))},
            }  # fmt: skip
        status, _, _ = browser.request("POST", f"/notikumi/{slug}", form)
        return status == 303

    return work


def warm_up(base_url: str, work, clients: int) -> None:
    """Let every worker boot, connect and render once before the clock starts."""
    load(base_url, work, 2, clients)


def run(label: str, uri: str, args) -> None:
    with tempfile.TemporaryDirectory() as instance:
        print(
            f"\n== {label}: building {EVENTS} events, {REGISTRATIONS} registrations …", flush=True
        )
        slug = build_database(uri, instance)
        env = {
            "FLASK_SQLALCHEMY_DATABASE_URI": uri,
            "FLASK_SECRET_KEY": SECRET,
            "REGISTRATION_INSTANCE_PATH": instance,
            "FLASK_PUBLIC_BASE_URL": BASE_URL,
        }
        with gunicorn(env=env, workers=args.workers, app="benchmarks.hello_app:app") as hello:
            warm_up(hello, get_page("/"), args.clients)
            hello_get, _ = load(hello, get_page("/"), args.seconds, args.clients)
            hello_write, _ = load(hello, hello_post, args.seconds, args.clients)
        with gunicorn(env=env, workers=args.workers) as site:
            warm_up(site, get_page("/"), args.clients)
            list_rps, list_errors = load(site, get_page("/"), args.seconds, args.clients)
            singles, mixed, signup_errors = [], [], 0
            for round_ in range(args.rounds):
                for runs, groups in ((singles, False), (mixed, True)):
                    tag = f"r{random.randrange(10**6)}-{round_}-{int(groups)}"
                    rps, errors = load(
                        site, sign_up(slug, tag, groups=groups), args.seconds, args.clients
                    )
                    runs.append(rps)
                    signup_errors += errors
        signup_rps = statistics.median(singles)
        mixed_rps = statistics.median(mixed)
        print(f"{'':28}{'req/s':>10}{'ceiling':>10}{'ratio':>8}{'errors':>8}")
        print(
            f"{'upcoming events page':28}{list_rps:10.0f}{hello_get:10.0f}"
            f"{list_rps / hello_get:8.2f}{list_errors:8d}"
        )
        print(
            f"{'sign-ups (POST)':28}{signup_rps:10.0f}{hello_write:10.0f}"
            f"{signup_rps / hello_write:8.2f}{signup_errors:8d}"
        )
        print(f"{'sign-ups, 1/3 with groups':28}{mixed_rps:10.0f}{hello_write:10.0f}"
              f"{mixed_rps / hello_write:8.2f}")  # fmt: skip
        print(
            f"mixed / single: {mixed_rps / signup_rps:.2f} (medians of {args.rounds} rounds; "
            f"single {', '.join(f'{r:.0f}' for r in singles)}; "
            f"mixed {', '.join(f'{r:.0f}' for r in mixed)} req/s)"
        )
        print(
            f"({UPCOMING} upcoming events on the page; {args.workers} gunicorn workers, "
            f"{args.clients} client threads, {args.seconds:.0f} s each)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--postgres",
        default=os.environ.get("BENCHMARK_DATABASE_URL"),
        help="a throwaway PostgreSQL database URL (its schema is dropped)",
    )
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        run("SQLite", f"sqlite:///{folder}/bench.sqlite3", args)
    if args.postgres:
        run("PostgreSQL", args.postgres, args)
    else:
        print("\n(PostgreSQL skipped: pass --postgres URL or set BENCHMARK_DATABASE_URL)")


if __name__ == "__main__":
    main()
