"""CPU instructions of one public page request through the test client, counted by valgrind:
a measure the load of a shared machine does not move.

    valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file=/tmp/cg.out \\
        .venv/bin/python benchmarks/page_instructions.py event|list|hello [--requests 20]
        [--root OTHER_CHECKOUT]

Builds a SQLite database in a temporary folder with one open event (or `--events N` upcoming
ones: `benchmarks/pages.py` lists 60), asks for the page a few times to warm up, then switches valgrind's counting on (`callgrind_control`) for `--requests`
more, each from a new visitor without cookies (as a rush is), and off again; divide the
"Collected" count valgrind prints by the number of requests. `hello` is the hello-world app,
the ceiling. `--root` runs the code of another checkout (an A/B against another branch).

What is counted is the steady state of a busy site: the cached pages ask for the data version
every LIST_CACHE_RECHECK_SECONDS (2 s), once in thousands of requests at the rates measured,
but once in a few under valgrind, whose slowness would make that count depend on the load;
so the recheck is set out of reach here. Use 100 requests or more: garbage collections come
every few hundred requests, and a count over 10 moves with whether one fell inside.
"""

from __future__ import annotations

import argparse
import logging
import os
import subprocess
import sys
import tempfile
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", choices=("event", "list", "hello"))
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--events", type=int, default=1, help="upcoming events in the list")
    parser.add_argument("--root", default=str(Path(__file__).resolve().parent.parent))
    args = parser.parse_args()
    sys.path.insert(0, args.root)

    from flask_migrate import upgrade

    from benchmarks.hello_app import app as hello
    from registration import create_app
    from registration.extensions import db
    from tests.factories import at_riga, make_event

    folder = tempfile.mkdtemp()
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite3",
            "SECRET_KEY": "benchmark-secret-key-0123456789abcdef0123456789",
            "MAIL_BACKGROUND_SENDER": False,
            "SCHEDULER_ENABLED": False,
            "LIST_CACHE_RECHECK_SECONDS": 24 * 3600,
        },
        instance_path=folder,
    )
    with app.app_context():
        upgrade()
        slug = make_event(capacity=100).slug
        for n in range(1, args.events):
            make_event(starts_at=at_riga(7 + n // 3, 10 + n % 3 * 3), capacity=100)
        db.session.remove()
    # The migrations' logging setup gives the root logger a handler of its own, which a
    # server does not have: each request's log line would be written twice.
    logging.getLogger().handlers.clear()
    target, path = {
        "event": (app, f"/notikumi/{slug}"),
        "list": (app, "/"),
        "hello": (hello, "/"),
    }[args.page]

    def visit() -> None:
        response = target.test_client().get(path)
        assert response.status_code == 200, response.status_code

    for _ in range(10):
        visit()
    control = ["callgrind_control", "--instr"]
    subprocess.run([*control, "on", str(os.getpid())], check=False, capture_output=True)
    for _ in range(args.requests):
        visit()
    subprocess.run([*control, "off", str(os.getpid())], check=False, capture_output=True)


if __name__ == "__main__":
    main()
