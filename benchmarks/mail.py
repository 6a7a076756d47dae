"""Messages per second from the outbox to a local SMTP server.

    .venv/bin/python benchmarks/mail.py [--messages 1000] [--senders 1] [--postgres URL]

Builds a throwaway database (SQLite in a temporary folder; PostgreSQL if a URL is given: its
schema is dropped and rebuilt), signs up `--messages` people to one event, which queues that
many confirmations (text, HTML and the personal .ics made at sending time), then runs the
sender (`send_pending`, as `flask mail send` does) against aiosmtpd listening on a loopback
port the OS picked, in a process of its own so that it does not share our interpreter. Prints
the time to queue, the time to deliver and messages per second, and checks that the server
received every message exactly once.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

import argparse  # noqa: E402
import os  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402

ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from flask_migrate import upgrade  # noqa: E402

from benchmarks.throwaway import reset_schema  # noqa: E402
from registration import create_app, signals  # noqa: E402
from registration.extensions import db  # noqa: E402
from registration.mail.sender import send_pending  # noqa: E402
from registration.models import OutboxMessage, OutboxState  # noqa: E402
from tests import factories  # noqa: E402

SECRET = "benchmark-secret-key-0123456789abcdef0123456789"

# The SMTP server's process: aiosmtpd on an inherited, already bound socket; it counts what it
# accepts and prints the count when its standard input closes.
SERVER = """
import sys, socket, threading
sys.path.insert(0, sys.argv[2])
from tests.mail.smtp import Recorder, _BoundController
sock = socket.socket(fileno=int(sys.argv[1]))
recorder = Recorder()
controller = _BoundController(recorder, sock, server_hostname="bench.local", ready_timeout=10)
controller.start()
print("ready", flush=True)
sys.stdin.read()
controller.stop()
ids = [r.data.split(b"Message-ID: ", 1)[1].split(b"\\r\\n", 1)[0] for r in recorder.received]
print(len(ids), len(set(ids)), flush=True)
"""


def start_server() -> tuple[subprocess.Popen, int]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(sock.fileno()), str(ROOT)],
        pass_fds=[sock.fileno()],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    sock.close()
    if process.stdout.readline().strip() != "ready":
        raise SystemExit("the SMTP server did not start")
    return process, port


def stop_server(process: subprocess.Popen) -> tuple[int, int]:
    out, _ = process.communicate("", timeout=60)
    received, unique = (int(n) for n in out.split())
    return received, unique


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--senders", type=int, default=1, help="senders running at once")
    parser.add_argument("--batch", type=int, default=20, help="MAIL_BATCH_SIZE")
    parser.add_argument("--postgres", metavar="URL", help="a throwaway PostgreSQL database")
    args = parser.parse_args()

    instance = tempfile.mkdtemp(prefix="mail-bench-")
    uri = args.postgres or f"sqlite:///{Path(instance) / 'bench.sqlite3'}"
    if args.postgres:
        reset_schema(uri)
    server, port = start_server()
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": uri,
            "SECRET_KEY": SECRET,
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": port,
            "MAIL_DEFAULT_SENDER": "pieteikumi@partneriba.example",
            "MAIL_BATCH_SIZE": args.batch,
            "MAIL_BACKGROUND_SENDER": False,
        },
        instance_path=instance,
    )
    try:
        with app.app_context():
            upgrade()
            event = factories.make_event(capacity=None, title="Noslēguma pasākums")
            started = time.perf_counter()
            for n in range(args.messages):
                registration = factories.make_registration(
                    event, commit=False, email=f"dalibnieks{n}@example.lv"
                )
                db.session.flush()
                signals.registration_created.send(registration)
                if n % 100 == 99:
                    db.session.commit()
            db.session.commit()
            queued = time.perf_counter() - started
            db.session.remove()

            started = time.perf_counter()
            reports = []

            def run() -> None:
                with app.app_context():
                    reports.append(send_pending())

            if args.senders == 1:
                run()
            else:
                threads = [threading.Thread(target=run) for _ in range(args.senders)]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
            delivered = time.perf_counter() - started
            states = dict(
                db.session.execute(
                    sa.select(OutboxMessage.state, sa.func.count()).group_by(OutboxMessage.state)
                ).all()
            )
            db.session.remove()
            db.engine.dispose()
    finally:
        received, unique = stop_server(server)

    sent = sum(r.sent for r in reports)
    backend = "PostgreSQL" if args.postgres else "SQLite"
    print(f"database: {backend}; senders: {args.senders}; batch: {args.batch}")
    print(f"queued {args.messages} confirmations in {queued:.2f} s")
    print(
        f"delivered {sent} messages in {delivered:.2f} s: "
        f"{sent / delivered:.0f} messages per second"
    )
    print(f"the SMTP server received {received} ({unique} distinct Message-IDs)")
    ok = (
        sent == received == unique == args.messages
        and states.get(OutboxState.SENT) == args.messages
    )
    if not ok:
        raise SystemExit(f"not every message arrived exactly once: {states}")


if __name__ == "__main__":
    os.environ.pop("FLASK_MAIL_SERVER", None)
    main()
