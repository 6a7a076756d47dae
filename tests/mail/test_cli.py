"""`flask --app registration mail send [--loop]` and `mail status`."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from registration import create_app
from registration.extensions import db
from registration.models import OutboxState, Registration
from registration.timeutil import frozen_time, now_utc

from .helpers import rows, sign_up, states
from .processes import running_flask, stop


def test_send_delivers_what_is_due_and_says_so(app, runner, smtp_server, make_event):
    event = make_event(capacity=None)
    for n in range(3):
        sign_up(event, email=f"p{n}@example.lv")
    result = runner.invoke(args=["mail", "send"])
    assert result.exit_code == 0, result.output
    assert "sent 3, failed 0, retrying later 0" in result.output
    assert len(smtp_server.received) == 3


@pytest.mark.smtp_down
def test_send_exits_with_an_error_when_the_server_is_down(app, runner, make_event):
    sign_up(make_event())
    result = runner.invoke(args=["mail", "send"])
    assert result.exit_code == 1
    assert "Mail server unavailable: ConnectionRefusedError" in result.output
    assert states() == {"pending": 1}


def test_status_counts_by_state_and_names_the_oldest_waiting(app, runner, make_event):
    event = make_event(capacity=None)
    start = now_utc()
    with frozen_time(start - timedelta(minutes=90)):
        sign_up(event, email="vecs@example.lv")
    sign_up(event, email="jauns@example.lv")
    failed = rows()[1]
    failed.state = OutboxState.FAILED
    db.session.commit()

    with frozen_time(start):
        result = runner.invoke(args=["mail", "status"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[:4] == [
        "pending        1",
        "sending        0",
        "sent           0",
        "failed         1",
    ]
    assert f"Oldest waiting: #{rows()[0].id} (confirmation)" in lines[4]
    assert "90 min ago" in lines[4]


def test_status_of_an_empty_outbox(app, runner):
    result = runner.invoke(args=["mail", "status"])
    assert "Nothing is waiting." in result.output


def test_the_loop_sends_new_mail_and_stops_cleanly_on_sigterm(app, smtp_server, make_event):
    event = make_event(capacity=None)
    for n in range(8):
        sign_up(event, email=f"p{n}@example.lv")
    smtp_server.handler.delay = 0.3  # slow enough to be stopped halfway
    with running_flask(
        app, "mail", "send", "--loop", "--interval", "0.2", MAIL_BATCH_SIZE=4
    ) as process:
        assert len(smtp_server.wait_for(2, timeout=30)) >= 2
        code, out, err = stop(process)
    assert code == 0, err
    assert "Mail sender stopped." in out
    received = len(smtp_server.received)
    assert 2 <= received < 8
    # What it had claimed but not sent is given back untouched; nothing is left "sending".
    assert states() == {"sent": received, "pending": 8 - received}
    assert {r.attempts for r in rows(state=OutboxState.PENDING)} == {0}


def test_the_loop_picks_up_mail_queued_after_it_started(app, smtp_server, make_event):
    event = make_event(capacity=None)
    with running_flask(app, "mail", "send", "--loop", "--interval", "0.2") as process:
        time.sleep(1)
        sign_up(event, email="velak@example.lv")
        db.session.commit()
        assert smtp_server.wait_for(1, timeout=20), process
        code, _, err = stop(process)
    assert code == 0, err
    assert [r.rcpt_tos for r in smtp_server.received] == [["velak@example.lv"]]


def test_a_lease_shorter_than_a_slow_send_stops_start_up(tmp_path):
    with pytest.raises(SystemExit) as stopped:
        create_app(
            {"SECRET_KEY": "k" * 40, "MAIL_TIMEOUT": 30, "MAIL_LEASE_SECONDS": 60},
            instance_path=str(tmp_path),
        )
    assert "MAIL_LEASE_SECONDS (60) must be more than five times MAIL_TIMEOUT (30)" in str(
        stopped.value
    )


def _wait_until(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        db.session.rollback()
        db.session.expire_all()
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_the_loop_anonymises_registrations_past_the_retention_period(
    app, smtp_server, make_event, make_registration
):
    old = make_registration(make_event(starts_at=now_utc() - timedelta(days=800)))
    kept = make_registration(make_event(starts_at=now_utc() - timedelta(days=30)))
    with running_flask(app, "mail", "send", "--loop", "--interval", "0.2") as process:
        anonymised = _wait_until(lambda: db.session.get(Registration, old.id).is_anonymised, 20)
        code, out, err = stop(process)
    assert anonymised, err
    assert code == 0, err
    assert "1 registrations of 1 events were anonymised" in out
    assert not db.session.get(Registration, kept.id).is_anonymised


def test_the_loop_leaves_personal_data_alone_when_told_to(
    app, smtp_server, make_event, make_registration
):
    old = make_registration(make_event(starts_at=now_utc() - timedelta(days=800)))
    sign_up(make_event(capacity=None), email="jauns@example.lv")
    with running_flask(
        app, "mail", "send", "--loop", "--interval", "0.2", ANONYMISE_INTERVAL_SECONDS=0
    ) as process:
        # A round that has sent mail has passed the point where it would have anonymised.
        assert smtp_server.wait_for(1, timeout=20), process
        code, out, err = stop(process)
    assert code == 0, err
    db.session.expire_all()
    assert not db.session.get(Registration, old.id).is_anonymised
    assert "anonymised" not in out
