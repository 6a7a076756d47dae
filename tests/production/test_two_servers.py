"""Two app servers (two gunicorn instances, each with its own instance folder as on two
machines) on one PostgreSQL database, and the mail worker in a third process: 200 people
pressing the button at once, half on each server, never oversell, and each gets exactly one
email.

The servers and the worker are started once for the module (`cluster`), so that further
checks across servers (such as rate limits counted in a shared store) can be added here."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from registration.extensions import db
from registration.models import Event, OutboxMessage, OutboxState, RegistrationStatus
from registration.services import booking

from ..live_server import Browser
from ..mail.smtp import SmtpServer
from ..pages import in_letters
from ..settings import TEST_DATABASE_URL
from .load import count, waiting_in_order
from .servers import (
    HOST,
    MANY_SIGN_UPS,
    ROOT,
    Server,
    app_env,
    production_servers,
    stop_process,
)

pytestmark = pytest.mark.skipif(
    not TEST_DATABASE_URL,
    reason="two app servers share one PostgreSQL database: set TEST_DATABASE_URL",
)

PEOPLE = 200
SEATS = 20


@dataclass
class Cluster:
    servers: list[Server]
    smtp: SmtpServer
    worker: subprocess.Popen


@pytest.fixture(scope="module")
def cluster(module_install, tmp_path_factory):
    smtp = SmtpServer()
    smtp.start()
    folder = tmp_path_factory.mktemp("cluster")
    settings = {
        "SQLALCHEMY_DATABASE_URI": module_install.database_uri,
        "SECRET_KEY": module_install.secret_key,
        "PUBLIC_BASE_URL": f"https://{HOST}",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": smtp.port,
        "MAIL_DEFAULT_SENDER": "pieteikumi@partneriba.example",
        # Mail goes out from the worker only, as in a larger install.
        "MAIL_BACKGROUND_SENDER": "false",
        "MAIL_TIMEOUT": 5,
        "MAIL_LEASE_SECONDS": 60,
        **MANY_SIGN_UPS,
    }

    def instance(name: str):
        path = folder / name
        path.mkdir()
        return app_env(path, **settings)

    with ExitStack() as stack:
        servers = stack.enter_context(
            production_servers(
                *((instance(name), folder / f"{name}.log") for name in ("server-a", "server-b"))
            )
        )
        with open(folder / "worker.log", "wb") as log:
            worker = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "flask",
                    "--app",
                    "registration",
                    "mail",
                    "send",
                    "--loop",
                    "--interval",
                    "0.5",
                ],
                cwd=ROOT,
                env=instance("worker"),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        stack.callback(stop_process, worker)
        yield Cluster(servers, smtp, worker)
    smtp.close()


def sign_up_at_once_on_both(servers: list[Server], slug: str) -> list[int]:
    ready = threading.Barrier(PEOPLE)

    def person(n: int) -> int:
        browser = Browser(servers[n % 2].url)
        try:
            status, _, page = browser.get(f"/notikumi/{slug}")
            assert status == 200
            form = {
                **Browser.hidden_fields(page),
                "first_name": "Dalībnieks",
                "last_name": f"Numurs {in_letters(n)}",
                "email": f"cilveks{n}@example.lv",
                "place": "Aizkraukle",
                "consent": "y",
            }
            ready.wait(timeout=120)
            status, _, _ = browser.request("POST", f"/notikumi/{slug}", form)
            return status
        finally:
            browser.close()

    with ThreadPoolExecutor(max_workers=PEOPLE) as pool:
        return list(pool.map(person, range(PEOPLE)))


def outbox_states() -> Counter:
    db.session.rollback()
    return Counter(db.session.scalars(sa.select(OutboxMessage.state)))


def test_two_hundred_at_once_on_two_servers_never_oversell_and_each_mail_goes_once(
    app, cluster, make_event
):
    event = make_event(capacity=SEATS, has_waiting_list=True)
    event_id = event.id

    assert sign_up_at_once_on_both(cluster.servers, event.slug) == [303] * PEOPLE

    db.session.rollback()
    db.session.expire_all()
    assert count(event_id, RegistrationStatus.CONFIRMED) == SEATS
    assert count(event_id, RegistrationStatus.WAITLISTED) == PEOPLE - SEATS
    assert db.session.get(Event, event_id).confirmed_count == SEATS
    queue = waiting_in_order(event_id)
    assert [booking.waiting_position(r) for r in queue] == list(range(1, PEOPLE - SEATS + 1))
    for server in cluster.servers:
        assert server.log().count(f'"POST /notikumi/{event.slug}" 303') == PEOPLE // 2

    deadline = time.monotonic() + 90
    while outbox_states()[OutboxState.SENT] < PEOPLE and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(1)  # anything sent twice would arrive by now
    assert outbox_states() == Counter({OutboxState.SENT: PEOPLE})
    received = cluster.smtp.received
    recipients = Counter(address for message in received for address in message.rcpt_tos)
    assert recipients == Counter({f"cilveks{n}@example.lv": 1 for n in range(PEOPLE)})
    assert len({r.message["Message-ID"] for r in received}) == PEOPLE
    kinds = Counter(db.session.scalars(sa.select(OutboxMessage.kind)))
    assert kinds == Counter({"confirmation": SEATS, "waitlisted": PEOPLE - SEATS})
