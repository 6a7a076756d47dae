"""The in-app scheduler: reminders and the retention purge run without cron, once per due
time however many processes look, and a failure or a dead process holds nothing up."""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from registration.extensions import db
from registration.models import OutboxMessage, ScheduledJob
from registration.operations import scheduler
from registration.timeutil import frozen_time, now_utc

from ..factories import make_registration

# Monday 6 December 2027, 09:00 in Riga.
MONDAY = datetime(2027, 12, 6, 7, 0, tzinfo=UTC)
LEASE = timedelta(minutes=30)


def reminders_in_outbox() -> list[str]:
    return list(
        db.session.scalars(
            sa.select(OutboxMessage.recipient).where(OutboxMessage.kind == "reminder")
        )
    )


def job(name: str) -> ScheduledJob:
    db.session.expire_all()
    return db.session.scalar(sa.select(ScheduledJob).where(ScheduledJob.name == name))


@pytest.fixture
def reminder_due(make_event):
    """Someone signed up for an event that starts within the reminder's 24 hours."""
    event = make_event(starts_at=MONDAY + timedelta(hours=12), reminder_hours=24)
    make_registration(event, email="anna@example.lv", queued_at=MONDAY - timedelta(days=5))
    return event


def test_a_due_task_runs_once_and_then_waits_for_its_interval(app, reminder_due):
    with frozen_time(MONDAY):
        assert scheduler.run_due_jobs("web-1:100") == ["reminders", "thanks", "retention"]
    assert reminders_in_outbox() == ["anna@example.lv"]
    assert job("reminders").next_run_at == MONDAY + timedelta(seconds=300)
    assert job("reminders").leased_by is None
    assert job("retention").next_run_at == MONDAY + timedelta(days=1)

    with frozen_time(MONDAY + timedelta(minutes=1)):
        assert scheduler.run_due_jobs("web-2:200") == []
    with frozen_time(MONDAY + timedelta(minutes=5)):
        assert scheduler.run_due_jobs("web-2:200") == ["reminders", "thanks"]
    assert reminders_in_outbox() == ["anna@example.lv"]


def test_of_many_processes_looking_at_once_one_wins(app):
    with frozen_time(MONDAY):
        scheduler._ensure_rows(["reminders"], MONDAY)
    processes = 8
    start = threading.Barrier(processes)
    won = []

    def process(n: int) -> None:
        with app.app_context():
            start.wait(timeout=10)
            if scheduler.claim("reminders", f"web-{n}:{n}", MONDAY, LEASE):
                won.append(n)
            db.session.remove()

    threads = [threading.Thread(target=process, args=(n,)) for n in range(processes)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(won) == 1
    assert job("reminders").leased_by == f"web-{won[0]}:{won[0]}"


def test_a_lease_left_by_a_process_that_died_runs_out(app):
    scheduler._ensure_rows(["reminders"], MONDAY)
    assert scheduler.claim("reminders", "dead:1", MONDAY, LEASE)
    assert not scheduler.claim("reminders", "web:2", MONDAY + timedelta(minutes=29), LEASE)
    assert scheduler.claim("reminders", "web:2", MONDAY + timedelta(minutes=31), LEASE)
    # The process that died comes back: its late report changes nothing.
    scheduler.finish("reminders", "dead:1", MONDAY + timedelta(days=9))
    assert job("reminders").leased_by == "web:2"


def test_a_failing_task_is_recorded_and_tried_again_soon_while_others_run(
    app, reminder_due, monkeypatch, caplog
):
    def broken() -> str:
        raise RuntimeError("disk on fire")

    reminders, _thanks, retention = scheduler.JOBS
    monkeypatch.setattr(scheduler, "JOBS", (replace(retention, run=broken), reminders))
    with frozen_time(MONDAY):
        assert scheduler.run_due_jobs("web:1") == ["retention", "reminders"]
    assert reminders_in_outbox() == ["anna@example.lv"]
    failed = job("retention")
    assert failed.last_error == "RuntimeError: disk on fire"
    assert failed.next_run_at == MONDAY + timedelta(seconds=scheduler.RETRY_SECONDS)
    assert "scheduled task retention failed" in caplog.text


@pytest.mark.parametrize("app_config", [{"SCHEDULER_ENABLED": True, "SCHEDULER_POLL_SECONDS": 0.2}])
def test_a_web_process_queues_reminders_by_itself(app, client, make_event):
    # No cron, no worker: the first request starts the process's scheduler thread.
    now = now_utc()
    event = make_event(starts_at=now + timedelta(hours=12), reminder_hours=24)
    make_registration(event, email="anna@example.lv", queued_at=now - timedelta(days=5))
    thread = scheduler.scheduler(app)
    try:
        client.get("/")
        deadline = time.monotonic() + 15
        while not reminders_in_outbox() and time.monotonic() < deadline:
            db.session.rollback()
            time.sleep(0.1)
    finally:
        thread.stop(timeout=10)
    assert reminders_in_outbox() == ["anna@example.lv"]
