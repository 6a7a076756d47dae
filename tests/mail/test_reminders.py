"""Reminders: one per person and start time, however often the command runs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from registration.extensions import db
from registration.mail.reminders import queue_due_reminders
from registration.mail.sender import send_pending
from registration.models import EventStatus, RegistrationStatus
from registration.timeutil import frozen_time

from .helpers import rows, sign_up, text_of

# Wednesday 8 December 2027, 10:00 in Riga (UTC+2 in winter).
STARTS = datetime(2027, 12, 8, 8, 0, tzinfo=UTC)


def reminders_queued() -> list[str]:
    return [r.recipient for r in rows(kind="reminder")]


def test_a_reminder_goes_out_once_a_day_before(app, smtp_server, make_event):
    event = make_event(title="Domnīca Iršos", starts_at=STARTS)
    sign_up(event, email="anna@example.lv", queued_at=STARTS - timedelta(days=10))
    send_pending()

    with frozen_time(STARTS - timedelta(hours=25)):
        assert queue_due_reminders() == 0
    moment = STARTS - timedelta(hours=24)
    with frozen_time(moment):
        assert queue_due_reminders() == 1
        db.session.commit()
        for later in (0, 1, 5):  # cron every few minutes, a worker loop, a rerun by hand
            with frozen_time(moment + timedelta(minutes=later)):
                assert queue_due_reminders() == 0
                db.session.commit()
        assert send_pending().sent == 1

    reminder = smtp_server.messages()[-1]
    assert reminder["Subject"] == (
        "Atgādinājums: Domnīca Iršos, trešdiena, 2027. gada 8. decembris, 10:00–12:00"
    )
    assert "Atgādinām: drīz sāksies pasākums, kuram pieteicāties." in text_of(reminder)
    assert reminders_queued() == ["anna@example.lv"]


def test_only_confirmed_people_of_published_events_are_reminded(app, make_event):
    early = STARTS - timedelta(days=10)
    published = make_event(starts_at=STARTS, capacity=2)
    sign_up(published, email="ir@example.lv", queued_at=early)
    sign_up(
        published, email="gaida@example.lv", queued_at=early, status=RegistrationStatus.WAITLISTED
    )
    cancelled_registration = sign_up(published, email="atteicas@example.lv", queued_at=early)
    cancelled_registration.status = RegistrationStatus.CANCELLED
    published.confirmed_count -= 1
    draft = make_event(starts_at=STARTS, status=EventStatus.DRAFT)
    sign_up(draft, email="melnraksts@example.lv", queued_at=early)
    called_off = make_event(starts_at=STARTS, status=EventStatus.CANCELLED)
    sign_up(called_off, email="atcelts@example.lv", queued_at=early)
    no_reminder = make_event(starts_at=STARTS)
    # Set after creation: None given at INSERT makes SQLAlchemy fire the column default (24).
    no_reminder.reminder_hours = None
    sign_up(no_reminder, email="bez@example.lv", queued_at=early)
    db.session.commit()

    with frozen_time(STARTS - timedelta(hours=2)):
        queue_due_reminders()
        db.session.commit()
    assert reminders_queued() == ["ir@example.lv"]


def test_the_reminder_time_is_set_per_event(app, make_event):
    event = make_event(starts_at=STARTS, reminder_hours=72)
    sign_up(event, queued_at=STARTS - timedelta(days=10))
    with frozen_time(STARTS - timedelta(hours=73)):
        assert queue_due_reminders() == 0
    with frozen_time(STARTS - timedelta(hours=71)):
        assert queue_due_reminders() == 1


def test_no_reminder_after_the_start_or_for_a_fresh_sign_up(app, make_event):
    event = make_event(starts_at=STARTS)
    sign_up(event, email="vakar@example.lv", queued_at=STARTS - timedelta(hours=5))
    with frozen_time(STARTS - timedelta(hours=4)):
        assert queue_due_reminders() == 0  # their confirmation is a few hours old
    sign_up(event, email="senak@example.lv", queued_at=STARTS - timedelta(days=3))
    with frozen_time(STARTS + timedelta(minutes=1)):
        assert queue_due_reminders() == 0  # too late: it has started


def test_an_event_moved_to_another_day_reminds_again(app, make_event):
    event = make_event(starts_at=STARTS)
    sign_up(event, queued_at=STARTS - timedelta(days=10))
    with frozen_time(STARTS - timedelta(hours=20)):
        assert queue_due_reminders() == 1
        db.session.commit()
    event.starts_at = STARTS + timedelta(days=7)
    event.ends_at = event.starts_at + timedelta(hours=2)
    db.session.commit()
    with frozen_time(event.starts_at - timedelta(hours=20)):
        assert queue_due_reminders() == 1
        db.session.commit()
        assert queue_due_reminders() == 0
    assert len(reminders_queued()) == 2


def test_the_command_queues_and_says_how_many(app, runner, make_event):
    event = make_event(starts_at=STARTS)
    sign_up(event, queued_at=STARTS - timedelta(days=10))
    with frozen_time(STARTS - timedelta(hours=3)):
        first = runner.invoke(args=["reminders", "send"])
        second = runner.invoke(args=["reminders", "send"])
    assert first.exit_code == 0 and "1 reminders queued." in first.output
    assert second.exit_code == 0 and "0 reminders queued." in second.output
    assert len(reminders_queued()) == 1
