"""Sign-ups per second and the upcoming-events page through gunicorn, beside a hello-world;
sign-ups with the limits off and on.

    .venv/bin/python benchmarks/signup.py [--postgres URL] [--seconds 5] [--workers 4] [--rounds 1]
                                          [--groups]

Mail is delivered by a thread in each web process, as a default install does; with
FLASK_MAIL_BACKGROUND_SENDER=false in the environment it is left to a separate worker and
the figures show the web processes alone.

Builds a throwaway database (SQLite in a temporary folder; PostgreSQL if a URL is given: its
schema is dropped and rebuilt) with 500 events and 50,000 registrations, serves the app and a
hello-world Flask app with the same gunicorn settings, loads each with the same client
threads, and prints requests per second and the ratio to the ceiling.

Every sign-up comes from another client address (X-Forwarded-For, trusted for one proxy as
behind nginx) and a new email address, and each client loads a fresh form every 40 sign-ups,
as the form stamp allows. The sign-ups run twice: with every limit off (RATELIMIT_ENABLED and
the rule for unconfirmed addresses), and with them on, in the app's own database, set so high
that each is counted and none refuses: the difference is what counting costs. With
--groups, a third run in each round (limits on) has every third form bring one to three
companions, as families and colleagues sign up: the cost of group sign-ups beside single ones.
"""

from __future__ import annotations

import argparse
import random
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

from benchmarks.throwaway import add_postgres_option, reset_schema  # noqa: E402
from registration import create_app  # noqa: E402
from registration.extensions import db  # noqa: E402
from registration.models import Event, EventKind, EventStatus, Registration  # noqa: E402
from registration.timeutil import now_utc  # noqa: E402
from tests.live_server import Browser, gunicorn  # noqa: E402

EVENTS = 500
REGISTRATIONS = 50_000
UPCOMING = 60
SECRET = "benchmark-secret-key-0123456789abcdef0123456789"
BASE_URL = "http://127.0.0.1"


def build_database(uri: str, instance: str) -> str:
    """Schema by migrations, then 500 events and 50,000 registrations; returns a slug to sign up to."""
    reset_schema(uri)
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
                "max_companions": 3,
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


#: Sign-ups sent with one form before the client loads a fresh one (below the form's
#: SIGNUP_FORM_MAX_USES).
FORM_USES = 40


def client_address(index: int, n: int) -> str:
    """Another address for every sign-up, spread over many /24 networks."""
    return f"10.{index}.{(n // 250) % 250}.{n % 250 + 1}"


#: Names take letters only: a number written in letters.
def in_letters(n: int) -> str:
    return "".join("abcdefghijklmnopqrstuvwxyz"[int(d)] for d in str(n))


def companions(n: int) -> dict[str, str]:
    """For every third form, one to three companions."""
    fields = {}
    for i in range((n % 3 == 0) * (1 + n % 9 // 3)):
        fields |= {
            f"companions-{i}-first_name": f"Pavadonis {in_letters(i)}",
            f"companions-{i}-last_name": "Bērziņš",
            f"companions-{i}-place": "Koknese",
        }
    return fields


def sign_up(slug: str, run: str, groups: bool = False):
    def work(browser, state, index, n):
        if n % FORM_USES == 0:
            _, _, page = browser.get(f"/notikumi/{slug}")
            state["hidden"] = Browser.hidden_fields(page)
        form = {
            **state["hidden"], "first_name": "Jānis", "last_name": "Bērziņš",
            "email": f"{run}-{index}-{n}@example.lv", "place": "Koknese", "consent": "y",
            **(companions(n) if groups else {}),
        }  # fmt: skip
        headers = {"X-Forwarded-For": client_address(index, n)}
        status, _, _ = browser.request("POST", f"/notikumi/{slug}", form, headers=headers)
        return status == 303

    return work


#: The limits as the "on" run sets them: counted, never reached.
LIMITS_ON = {
    "FLASK_RATELIMIT_ENABLED": "true",
    "FLASK_SIGNUP_LIMIT_PER_ADDRESS": "1000000 per 10 minutes",
    "FLASK_SIGNUP_LIMIT_PER_NETWORK": "1000000 per hour",
    "FLASK_SIGNUP_LIMIT_PER_EVENT": "1000000 per 10 minutes",
    "FLASK_SIGNUP_LIMIT_PER_EMAIL": "1000000 per hour;1000000 per day",
    "FLASK_MAIL_PARTICIPANT_LIMIT": "1000000 per hour",
}
LIMITS_OFF = {
    "FLASK_RATELIMIT_ENABLED": "false",
    "FLASK_MAIL_UNCONFIRMED_PER_HOUR": "null",
    "FLASK_MAIL_UNCONFIRMED_PER_DAY": "null",
}


def measure_sign_ups(
    env: dict, slug: str, args, limits: dict, groups: bool = False
) -> tuple[float, int]:
    with gunicorn(env={**env, **limits}, workers=args.workers) as site:
        warm_up(site, get_page("/"), args.clients)
        work = sign_up(slug, f"r{random.randrange(10**6)}", groups)
        return load(site, work, args.seconds, args.clients)


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
            "FLASK_PROXY_FIX_X_FOR": "1",
            "FLASK_SIGNUP_MIN_SECONDS": "0",
        }
        with gunicorn(env=env, workers=args.workers, app="benchmarks.hello_app:app") as hello:
            warm_up(hello, get_page("/"), args.clients)
            hello_get, _ = load(hello, get_page("/"), args.seconds, args.clients)
            hello_write, _ = load(hello, hello_post, args.seconds, args.clients)
        with gunicorn(env=env, workers=args.workers) as site:
            warm_up(site, get_page("/"), args.clients)
            list_rps, list_errors = load(site, get_page("/"), args.seconds, args.clients)
        # Off and on in turn, so that a machine busy with other work weighs on both alike.
        rounds, mixed = [], []
        for _ in range(args.rounds):
            rounds.append(
                (
                    measure_sign_ups(env, slug, args, LIMITS_OFF),
                    measure_sign_ups(env, slug, args, LIMITS_ON),
                )
            )
            if args.groups:
                mixed.append(measure_sign_ups(env, slug, args, LIMITS_ON, groups=True))
        off_rps = statistics.median(off for (off, _), _ in rounds)
        on_rps = statistics.median(on for _, (on, _) in rounds)
        off_errors = sum(errors for (_, errors), _ in rounds)
        on_errors = sum(errors for _, (_, errors) in rounds)
        print(f"{'':28}{'req/s':>10}{'ceiling':>10}{'ratio':>8}{'errors':>8}")
        print(
            f"{'upcoming events page':28}{list_rps:10.0f}{hello_get:10.0f}"
            f"{list_rps / hello_get:8.2f}{list_errors:8d}"
        )
        for label, rps, errors in (
            ("sign-ups, limits off", off_rps, off_errors),
            ("sign-ups, limits on", on_rps, on_errors),
        ):
            print(f"{label:28}{rps:10.0f}{hello_write:10.0f}{rps / hello_write:8.2f}{errors:8d}")
        for n, ((off, _), (on, _)) in enumerate(rounds, start=1):
            print(f"  round {n}: off {off:.1f}/s, on {on:.1f}/s ({(on - off) / off:+.1%})")
        print(f"limits on: {(on_rps - off_rps) / off_rps:+.1%} sign-ups per second (medians)")
        if mixed:
            mixed_rps = statistics.median(rps for rps, _ in mixed)
            mixed_errors = sum(errors for _, errors in mixed)
            label = "sign-ups, 1/3 with groups"
            print(
                f"{label:28}{mixed_rps:10.0f}{hello_write:10.0f}"
                f"{mixed_rps / hello_write:8.2f}{mixed_errors:8d}"
            )
            print(
                f"groups: {(mixed_rps - on_rps) / on_rps:+.1%} forms per second beside single ones"
            )
        print(
            f"({UPCOMING} upcoming events on the page; {args.workers} gunicorn workers, "
            f"{args.clients} client threads, {args.seconds:.0f} s each)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_postgres_option(parser)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=1, help="sign-ups off then on, this often")
    parser.add_argument("--groups", action="store_true", help="also a run with group sign-ups")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        run("SQLite", f"sqlite:///{folder}/bench.sqlite3", args)
    if args.postgres:
        run("PostgreSQL", args.postgres, args)
    else:
        print("\n(PostgreSQL skipped: pass --postgres URL or set BENCHMARK_DATABASE_URL)")


if __name__ == "__main__":
    main()
