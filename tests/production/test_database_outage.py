"""PostgreSQL stopped under load, a worker killed meanwhile, PostgreSQL started again: the
app answers with the friendly 503 page while the database is away (the log says why),
`/healthz` says 503 and then 200, the app recovers without a restart, and nothing is lost
or half-saved. Runs against a private PostgreSQL server of its own (see postgres.py)."""

from __future__ import annotations

import os
import signal
from collections import Counter

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from registration import create_app
from registration.extensions import db
from registration.models import Event, Registration, RegistrationStatus

from ..factories import make_event
from ..settings import base_config
from .load import Load, health, wait_for
from .postgres import PrivatePostgres
from .servers import MANY_SIGN_UPS, app_env, once_per_suite, production_server

pytestmark = once_per_suite


@pytest.fixture
def private_postgres():
    server = PrivatePostgres()
    try:
        server.init()
        server.start()
        yield server
    finally:
        server.remove()


def test_the_app_rides_out_a_database_restart(private_postgres, tmp_path):
    uri = private_postgres.create_database("registration")
    setup = create_app({**base_config(uri)}, instance_path=str(tmp_path / "setup"))
    with setup.app_context():
        upgrade()
        event = make_event(capacity=100_000)
        event_id, slug = event.id, event.slug
        db.session.remove()
        db.engine.dispose()

    env = app_env(
        tmp_path / "instance",
        SQLALCHEMY_DATABASE_URI=uri,
        SECRET_KEY="outage-test-secret-key-0123456789abcdef",
        SCHEDULER_ENABLED="true",
        SCHEDULER_POLL_SECONDS=1,
        **MANY_SIGN_UPS,
    )
    (tmp_path / "instance").mkdir()
    with production_server(env, tmp_path / "gunicorn.log") as server:
        load = Load(server.url, slug)
        load.start()
        try:
            wait_for(lambda: load.saved_count() >= 10, 60, "ten sign-ups")
            private_postgres.stop()
            outage_began = len(load.results)
            wait_for(lambda: health(server)[0] == 503, 15, "/healthz turning 503")
            assert "database unreachable" in health(server)[1]

            victim = server.worker_pids()[0]
            os.kill(victim, signal.SIGKILL)
            wait_for(
                lambda: victim not in server.worker_pids() and len(server.worker_pids()) == 2,
                30,
                "a new worker replacing the killed one",
            )
            wait_for(
                lambda: len(load.results) >= outage_began + 20, 30, "requests during the outage"
            )

            private_postgres.start()
            saved = load.saved_count()
            recovery = wait_for(lambda: health(server)[0] == 200, 30, "/healthz turning 200")
            wait_for(lambda: load.saved_count() > saved, 30, "a sign-up after the restart")
            wait_for(lambda: load.saved_count() > saved + 20, 60, "sign-ups going on")
        finally:
            load.finish()
        print(f"\n/healthz was 200 again {recovery:.2f} s after PostgreSQL accepted connections")
        assert server.process.poll() is None  # never restarted
        log = server.log()

    statuses = Counter(status for _, status, _, _ in load.results)
    # The request the killed worker was serving, if any, lost its connection.
    assert statuses.pop(0, 0) <= 1
    assert set(statuses) == {303, 503}, statuses
    refused = [(page, headers) for _, status, page, headers in load.results if status == 503]
    page, headers = refused[-1]
    assert headers["Retry-After"] == "30"
    assert "Vietne uz brīdi ir aizņemta" in page
    assert headers["X-Request-Id"] in log
    assert "database unavailable, answered 503" in log

    check = create_app({**base_config(uri)}, instance_path=str(tmp_path / "check"))
    with check.app_context():
        stored = set(db.session.scalars(sa.select(Registration.email)))
        confirmed = db.session.scalar(
            sa.select(sa.func.count()).where(Registration.status == RegistrationStatus.CONFIRMED)
        )
        assert db.session.get(Event, event_id).confirmed_count == confirmed == len(stored)
        db.session.remove()
        db.engine.dispose()
    saved_emails = {email for email, status, _, _ in load.results if status == 303}
    refused_emails = {email for email, status, _, _ in load.results if status == 503}
    cut_off = {email for email, status, _, _ in load.results if status == 0}
    assert stored - cut_off == saved_emails
    assert not stored & refused_emails
