"""`/healthz`: 200 with the figures when the app can work, 503 with the reason when not;
never personal data, never a login."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import sqlalchemy as sa

from registration import create_app
from registration.extensions import db
from registration.models import OutboxMessage, OutboxState
from registration.timeutil import now_utc

from ..factories import make_registration
from ..live_server import free_port
from ..settings import base_config


def outbox_row(state: OutboxState, queued_minutes_ago: int, recipient: str) -> None:
    moment = now_utc() - timedelta(minutes=queued_minutes_ago)
    db.session.add(
        OutboxMessage(
            state=state,
            kind="confirmation",
            recipient=recipient,
            subject="Pieteikums apstiprināts",
            text_body="…",
            message_id=f"<{recipient}.{state.value}@test>",
            created_at=moment,
            next_attempt_at=moment,
        )
    )
    db.session.commit()


def test_a_working_install_is_healthy(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    health = response.get_json()
    assert health["status"] == "ok"
    assert health["problems"] == []
    assert health["database"] == "ok"
    assert health["migrations"]["current"] == health["migrations"]["expected"]
    assert health["mail"] == {"oldest_waiting_seconds": None, "failed": 0}
    assert health["disk"]["instance_free_mb"] > 0


def test_mail_waiting_too_long_is_a_problem_and_failures_are_counted(client, make_event):
    registration = make_registration(make_event(), email="liga.ozola@example.lv")
    outbox_row(OutboxState.FAILED, 5, "nav.tada@example.lv")
    outbox_row(OutboxState.PENDING, 61, registration.email)

    response = client.get("/healthz")
    assert response.status_code == 503
    health = response.get_json()
    assert health["mail"]["failed"] == 1
    assert health["mail"]["oldest_waiting_seconds"] >= 61 * 60
    assert health["problems"] == [
        "the oldest message in the outbox has waited 61 minutes; mail is not going out "
        "(see flask mail status)"
    ]
    body = response.get_data(as_text=True)
    for personal in ("liga.ozola", "nav.tada", registration.last_name):
        assert personal not in body


def test_a_schema_behind_the_code_is_a_problem(client):
    with db.engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '0006'"))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["problems"] == [
        "the database schema is not the one this version expects; run flask db upgrade"
    ]
    with db.engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE alembic_version SET version_num = :head"),
            {"head": response.get_json()["migrations"]["expected"][0]},
        )


@pytest.mark.parametrize("app_config", [{"HEALTH_MIN_FREE_DISK_MB": 10**12}])
def test_a_full_disk_is_a_problem(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert "free on the instance folder's disk" in response.get_json()["problems"][0]


def test_an_unreachable_database_is_a_problem_with_its_reason(tmp_path, caplog):
    # Nothing listens on this loopback port: the server is "stopped".
    uri = f"postgresql+psycopg://app:secret@127.0.0.1:{free_port()}/registration"
    app = create_app(
        {**base_config(uri), "CHECK_DATABASE_ON_START": False}, instance_path=str(tmp_path)
    )
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    health = json.loads(response.get_data())
    assert health["database"] == "unreachable"
    assert health["problems"][0].startswith("database unreachable: ")
    assert "refused" in health["problems"][0]
    assert "secret" not in response.get_data(as_text=True)
    assert "health check: database unavailable" in caplog.text
