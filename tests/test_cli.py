"""Command-line tasks an installer runs."""

from __future__ import annotations

import sqlalchemy as sa

from registration.extensions import db
from registration.models import (
    Attendance,
    Event,
    EventKind,
    EventStatus,
    Organiser,
    OrganiserRole,
    Project,
    Registration,
)
from registration.timeutil import now_utc

STRONG = "viens-divi-trīs-četri"


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_seed_demo_loads_the_partnerships_programme(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    events = db.session.scalars(sa.select(Event)).all()
    kinds = [event.kind for event in events]
    assert kinds.count(EventKind.THINK_TANK) == 6
    assert kinds.count(EventKind.SEMINAR) == 2
    assert kinds.count(EventKind.STUDY_TRIP) == 2
    assert kinds.count(EventKind.CONFERENCE) == 1
    assert {e.place for e in events if e.kind is EventKind.THINK_TANK} == {
        "Mazzalves pagasts",
        "Seces pagasts",
        "Skrīveru pagasts",
        "Aizkraukle",
        "Iršu pagasts",
        "Pļaviņas",
    }
    project = db.session.scalar(sa.select(Project))
    assert project.code == "2021.LV/NVOF/MIC/031/10"
    assert all(e.project_id == project.id for e in events)
    for trip in (e for e in events if e.is_trip):
        assert len(trip.pickup_stops) >= 2
        assert trip.programme
        # The trip starts with the bus leaving the first stop.
        assert trip.pickup_stops[0].departs_at == trip.starts_at
        assert all(trip.starts_at <= s.departs_at < trip.ends_at for s in trip.pickup_stops)
    final = next(e for e in events if e.kind is EventKind.CONFERENCE)
    assert final.is_online and final.online_url
    # Re-dated: three think tanks have taken place, with participants and attendance; the
    # rest lie in the coming weeks, published, with sign-up still open.
    assert all(e.status is EventStatus.PUBLISHED for e in events)
    past = [e for e in events if e.is_past]
    assert {e.place for e in past} == {"Mazzalves pagasts", "Seces pagasts", "Skrīveru pagasts"}
    assert all(e.closes_at > now_utc() for e in events if e not in past)
    for event in past:
        people = db.session.scalars(sa.select(Registration).where(Registration.event == event))
        marked = [r.attendance for r in people]
        assert len(marked) == event.confirmed_count >= 12
        assert Attendance.ATTENDED in marked and Attendance.ABSENT in marked


def test_seed_demo_twice_adds_nothing(runner):
    runner.invoke(args=["seed-demo"])
    before = (count(Event), count(Project))
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0
    assert "0 events added" in result.output
    assert (count(Event), count(Project)) == before


def test_seed_demo_if_empty_leaves_a_used_database_alone(runner, make_event):
    make_event()
    result = runner.invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0
    assert count(Event) == 1


def test_create_organiser_reads_the_password_from_a_pipe(runner):
    result = runner.invoke(
        args=["create-organiser", "Ilze@Example.LV", "--admin"], input=f"{STRONG}\n"
    )
    assert result.exit_code == 0, result.output
    organiser = db.session.scalar(sa.select(Organiser))
    assert organiser.email == "ilze@example.lv"
    assert organiser.role is OrganiserRole.ADMIN
    assert organiser.check_password(STRONG)
    assert STRONG not in organiser.password_hash
    assert organiser.password_hash.startswith("scrypt:")


def test_create_organiser_without_admin_flag_makes_an_organiser(runner):
    runner.invoke(args=["create-organiser", "janis@example.lv"], input=f"{STRONG}\n{STRONG}\n")
    assert db.session.scalar(sa.select(Organiser.role)) is OrganiserRole.ORGANISER


def test_create_organiser_refuses_an_invalid_email(runner):
    result = runner.invoke(args=["create-organiser", "not-an-email"], input=f"{STRONG}\n")
    assert result.exit_code == 1
    assert "not a valid email address" in result.output
    assert count(Organiser) == 0


def test_create_organiser_refuses_a_duplicate(runner):
    runner.invoke(args=["create-organiser", "ilze@example.lv"], input=f"{STRONG}\n")
    result = runner.invoke(args=["create-organiser", "ILZE@example.lv"], input=f"{STRONG}\n")
    assert result.exit_code == 1
    assert "already exists" in result.output
    assert count(Organiser) == 1


def test_create_organiser_refuses_a_short_password(runner):
    result = runner.invoke(args=["create-organiser", "ilze@example.lv"], input="short-pass1\n")
    assert result.exit_code == 1
    assert "at least 12 characters" in result.output
    assert count(Organiser) == 0


def test_create_organiser_refuses_two_different_entries(runner):
    result = runner.invoke(
        args=["create-organiser", "ilze@example.lv"], input=f"{STRONG}\n{STRONG}x\n"
    )
    assert result.exit_code == 1
    assert "differ" in result.output
    assert count(Organiser) == 0


def test_create_organiser_goes_through_the_back_offices_rules(runner):
    """One set of account rules: the command creates the account as the back office does,
    and the audit log shows it came from the command line (no organiser)."""
    from registration.models import AuditAction, AuditEntry

    result = runner.invoke(
        args=["create-organiser", "Ilze@Example.LV", "--name", "  Ilze  "], input=f"{STRONG}\n"
    )
    assert result.exit_code == 0, result.output
    assert "Created organiser ilze@example.lv." in result.output
    organiser = db.session.scalar(sa.select(Organiser))
    assert organiser.name == "Ilze"
    entry = db.session.scalar(sa.select(AuditEntry))
    assert (entry.action, entry.actor, entry.subject) == (
        AuditAction.ACCOUNT_CREATED,
        "",
        "ilze@example.lv",
    )
