"""How long the app takes to serve again after PostgreSQL restarts, under sign-up load.

    .venv/bin/python benchmarks/database_restart.py [--restarts 3] [--down 3] [--workers 2]

Starts a private PostgreSQL server (initdb in a temporary folder, another port; never the
machine's shared one), gunicorn with deploy/gunicorn.conf.py and eight visitors signing up
one after another; then stops PostgreSQL for --down seconds and starts it again, --restarts
times. Prints, for each restart, the seconds from PostgreSQL accepting connections again to
/healthz answering 200 and to the next saved sign-up, and how many answers were the 503
page meanwhile (never a 500).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402

from registration import create_app  # noqa: E402
from registration.extensions import db  # noqa: E402
from tests.conftest import base_config  # noqa: E402
from tests.factories import make_event  # noqa: E402
from tests.production.load import Load, health, wait_for  # noqa: E402
from tests.production.postgres import PrivatePostgres  # noqa: E402
from tests.production.servers import app_env, production_server  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--restarts", type=int, default=3)
    parser.add_argument("--down", type=float, default=3.0, help="seconds PostgreSQL is away")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    postgres = PrivatePostgres()
    try:
        postgres.init()
        postgres.start()
        uri = postgres.create_database("registration")
        with tempfile.TemporaryDirectory() as work:
            folder = Path(work)
            setup = create_app(base_config(uri), instance_path=str(folder / "setup"))
            with setup.app_context():
                upgrade()
                slug = make_event(capacity=1_000_000).slug
                db.session.remove()
                db.engine.dispose()
            (folder / "instance").mkdir()
            env = app_env(
                folder / "instance",
                SQLALCHEMY_DATABASE_URI=uri,
                SECRET_KEY="benchmark-secret-key-0123456789abcdef012345",
            )
            with production_server(env, folder / "gunicorn.log", workers=args.workers) as server:
                load = Load(server.url, slug)
                load.start()
                try:
                    wait_for(lambda: load.saved_count() >= 10, 60, "ten sign-ups")
                    for n in range(1, args.restarts + 1):
                        before = len(load.results)
                        postgres.stop()
                        time.sleep(args.down)
                        postgres.start()
                        saved = load.saved_count()
                        healthy = wait_for(lambda: health(server)[0] == 200, 60, "healthz 200")
                        signed = wait_for(
                            lambda saved=saved: load.saved_count() > saved, 60, "a sign-up"
                        )
                        answers = Counter(status for _, status, _, _ in load.results[before:])
                        print(
                            f"restart {n}: /healthz 200 after {healthy:.2f} s, next sign-up "
                            f"saved after {signed:.2f} s; answers meanwhile {dict(answers)}"
                        )
                        time.sleep(1)
                finally:
                    load.finish()
                failed = [
                    line
                    for line in server.log().splitlines()
                    if "Unhandled error" in line or "Error handling request" in line
                ]
                print(f"{len(failed)} requests failed with an unexpected error", *failed[:5])
    finally:
        postgres.remove()


if __name__ == "__main__":
    main()
