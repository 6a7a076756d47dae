"""Rules the database itself keeps, whatever the Python code does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, StatementError

from registration.extensions import db
from registration.models import Event, Registration, RegistrationStatus


def test_times_come_back_as_aware_utc(make_event):
    riga_summer = timezone(timedelta(hours=3))
    event = make_event(starts_at=datetime(2027, 6, 23, 18, 0, tzinfo=riga_summer))
    db.session.expire_all()
    loaded = db.session.get(Event, event.id)
    assert loaded.starts_at == datetime(2027, 6, 23, 15, 0, tzinfo=UTC)
    assert loaded.starts_at.tzinfo is not None


def test_naive_times_are_refused(make_event):
    with pytest.raises(StatementError):
        make_event(starts_at=datetime(2027, 6, 23, 18, 0))
    db.session.rollback()


def test_one_active_registration_per_email_and_event(make_event, make_registration):
    event = make_event()
    make_registration(event, email="Anna@Example.lv", email_key="anna@example.lv")
    with pytest.raises(IntegrityError):
        make_registration(event, email="anna@example.lv")
    db.session.rollback()


def test_a_cancelled_registration_does_not_block_signing_up_again(make_event, make_registration):
    event = make_event()
    make_registration(event, email="anna@example.lv", status=RegistrationStatus.CANCELLED)
    make_registration(event, email="anna@example.lv")
    statuses = db.session.scalars(
        sa.select(Registration.status).where(Registration.email_key == "anna@example.lv")
    )
    assert sorted(s.value for s in statuses) == ["cancelled", "confirmed"]


def test_the_same_person_may_register_for_two_events(make_event, make_registration):
    make_registration(make_event(), email="anna@example.lv")
    make_registration(make_event(), email="anna@example.lv")
    count = db.session.scalar(sa.select(sa.func.count()).select_from(sa.table("registration")))
    assert count == 2


def test_confirmed_seats_can_never_exceed_capacity(make_event):
    event = make_event(capacity=2)
    event.confirmed_count = 3
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_capacity_cannot_be_negative(make_event):
    with pytest.raises(IntegrityError):
        make_event(capacity=-1)
    db.session.rollback()


def test_an_event_must_end_after_it_starts(make_event):
    start = datetime(2027, 3, 1, 10, tzinfo=UTC)
    with pytest.raises(IntegrityError):
        make_event(starts_at=start, ends_at=start)
    db.session.rollback()


def test_registration_needs_an_existing_event(app):
    with pytest.raises(IntegrityError):
        db.session.execute(
            sa.text(
                "INSERT INTO registration (event_id, status, first_name, last_name, email, "
                "email_key, phone, place, place_other, organisation, needs, comment, "
                "consent_notice_version, photo_opt_out, wants_news, language, source, "
                "queued_at, manage_token_hash, organiser_note, created_at, updated_at) VALUES "
                "(999999, 'confirmed', 'A', 'B', 'a@b.lv', 'a@b.lv', '', '', '', '', '', '', '', "
                "false, false, 'lv', 'online', '2027-01-01', 'h', '', '2027-01-01', '2027-01-01')"
            )
        )
        db.session.commit()
    db.session.rollback()
