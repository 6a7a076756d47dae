"""Retention: registrations of events that ended more than RETENTION_MONTHS ago lose their
personal data; the counts stay, and nothing else changes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from registration.extensions import db
from registration.mail import messages
from registration.mail.sender import send_pending
from registration.models import (
    Attendance,
    Event,
    Organiser,
    OrganiserRole,
    OutboxMessage,
    OutboxState,
    Registration,
    RegistrationSource,
    RegistrationStatus,
)
from registration.privacy import retention
from registration.services import booking, participants, statistics, tokens
from registration.services.booking import SignUpDetails
from registration.timeutil import frozen_time
from tests.admin.helpers import log_in

# The moment the retention rules run: 24 months back is 31 March 2025, 10:00 UTC.
NOW = datetime(2027, 3, 31, 10, 0, tzinfo=UTC)
CUTOFF = datetime(2025, 3, 31, 10, 0, tzinfo=UTC)

#: Everything the people of the old event told us, or an organiser wrote about them.
OLD_PERSONAL = (
    "Ģirts", "Kalniņš-Vecais", "girts.vecais@example.lv", "+37129111222", "Biedrība Sēlija",
    "Ratiņkrēsls", "Ierašos ar kaimiņu", "Zvanīja divreiz", "Marta", "Ozoliņa-Vecā",
    "marta.veca@example.lv", "Ozolnieku ciems", "Jānis", "Gaidītājs", "janis.gaida@example.lv",
    "Valda", "Papīra-Lapa", "+37126333444",
)  # fmt: skip
#: The people of events still within the period: they must all be there afterwards.
KEPT_PERSONAL = (
    "Edgars", "Robeža", "edgars@example.lv", "Laima", "Jaunā", "laima@example.lv",
    "Ilgais", "Plānotājs", "ilgais@example.lv",
)  # fmt: skip


@dataclass
class World:
    old: Event
    edge: Event
    later: Event
    recent: Event
    organiser: Organiser
    tokens: dict[str, str]
    #: Outbox rows that must go: the old event's, and old sent or failed ones.
    doomed_messages: set[int]
    kept_messages: set[int]


def _details(first, last, email, **extra) -> SignUpDetails:
    return SignUpDetails(first_name=first, last_name=last, email=email, **extra)


def _sign_up(event, details, **kwargs) -> Registration:
    return booking.sign_up(event.id, details, **kwargs).registration


@pytest.fixture
def world(app, make_event, make_organiser) -> World:
    """Four events around the cutoff, each with real registrations, mail and audit entries."""
    with frozen_time(datetime(2025, 1, 5, 9, 0, tzinfo=UTC)):
        organiser = make_organiser("inese@partneriba.example", OrganiserRole.ADMIN, name="Inese")
        old = make_event(
            title="Domnīca Secē",
            starts_at=datetime(2025, 2, 14, 8, 0, tzinfo=UTC),
            capacity=2,
            notify_organiser=True,
            contact_email="inese@partneriba.example",
        )
        # Ends at the cutoff itself: not *more* than 24 months ago.
        edge = make_event(
            title="Seminārs Jaunjelgavā",
            starts_at=CUTOFF - timedelta(hours=2),
            ends_at=CUTOFF,
        )
        later = make_event(
            title="Brauciens uz Sēliju", starts_at=datetime(2025, 6, 1, 5, 0, tzinfo=UTC)
        )
        recent = make_event(
            title="Noslēguma pasākums", starts_at=datetime(2027, 4, 20, 12, 0, tzinfo=UTC)
        )

        # Signed up long before the trip: this confirmation is older than the period.
        ilgais = _sign_up(
            later, _details("Ilgais", "Plānotājs", "ilgais@example.lv", place="Koknese")
        )
        send_pending()

    with frozen_time(datetime(2025, 2, 1, 9, 0, tzinfo=UTC)):
        girts = _sign_up(
            old,
            _details(
                "Ģirts", "Kalniņš-Vecais", "Girts.Vecais@example.lv", phone="29111222",
                place="Seces pagasts", organisation="Biedrība Sēlija", needs="Ratiņkrēsls",
                comment="Ierašos ar kaimiņu", consent_notice_version="2026-11",
            ),
        )  # fmt: skip
        marta = _sign_up(
            old,
            _details("Marta", "Ozoliņa-Vecā", "marta.veca@example.lv", place="other",
                     place_other="Ozolnieku ciems"),
        )  # fmt: skip
        janis = _sign_up(
            old, _details("Jānis", "Gaidītājs", "janis.gaida@example.lv", place="Seces pagasts")
        )
        assert janis.status is RegistrationStatus.WAITLISTED
        messages.queue_participant_message(old, "all", "Par domnīcu", "Līdzi ņemiet pildspalvu.")
        # A message about the later trip that the mail server refused for good.
        messages.queue_participant_message(later, "all", "Par braucienu", "Pieturas mainās.")
        db.session.commit()
        refused = db.session.scalars(
            sa.select(OutboxMessage).where(OutboxMessage.event_id == later.id)
            .order_by(OutboxMessage.id.desc())
        ).first()  # fmt: skip
        refused.state = OutboxState.FAILED
        refused.last_error = "550 mailbox unavailable"
        db.session.commit()
        send_pending()
        tokens_by_name = {
            "girts": tokens.manage_token(girts),
            "janis": tokens.manage_token(janis),
        }

    with frozen_time(datetime(2025, 2, 10, 9, 0, tzinfo=UTC)):
        booking.cancel(marta.id)  # Jānis gets the seat
        send_pending()

    # After the event, from the paper sign-in sheet.
    with frozen_time(datetime(2025, 2, 17, 9, 0, tzinfo=UTC)):
        participants.mark_attendance(girts.id, Attendance.ATTENDED, actor=organiser)
        participants.mark_attendance(janis.id, Attendance.ABSENT, actor=organiser)
        participants.edit(girts.id, actor=organiser, organiser_note="Zvanīja divreiz")
        participants.add_walk_in(
            old.id,
            _details("Valda", "Papīra-Lapa", "", phone="26333444", place="Seces pagasts"),
            actor=organiser,
        )
        send_pending()

    with frozen_time(datetime(2025, 3, 1, 9, 0, tzinfo=UTC)):
        edgars = _sign_up(edge, _details("Edgars", "Robeža", "edgars@example.lv", place="Koknese"))
        send_pending()
    with frozen_time(datetime(2025, 5, 2, 9, 0, tzinfo=UTC)):
        # Sent after the cutoff: kept.
        messages.queue_participant_message(later, "all", "Izbraukšana", "Autobuss 7:00.")
        db.session.commit()
        send_pending()
    with frozen_time(NOW - timedelta(days=1)):
        laima = _sign_up(recent, _details("Laima", "Jaunā", "laima@example.lv", place="Sunākstes pagasts"))  # fmt: skip
        tokens_by_name["laima"] = tokens.manage_token(laima)
        tokens_by_name["edgars"] = tokens.manage_token(edgars)
        tokens_by_name["ilgais"] = tokens.manage_token(ilgais)

    all_messages = list(db.session.scalars(sa.select(OutboxMessage)))
    doomed = {
        m.id
        for m in all_messages
        if m.event_id == old.id
        or (m.state is OutboxState.SENT and m.sent_at < CUTOFF)
        or (m.state is OutboxState.FAILED and m.updated_at < CUTOFF)
    }
    return World(
        old=old,
        edge=edge,
        later=later,
        recent=recent,
        organiser=organiser,
        tokens=tokens_by_name,
        doomed_messages=doomed,
        kept_messages={m.id for m in all_messages} - doomed,
    )


def _rows(table) -> dict[int, dict]:
    key = list(table.primary_key.columns)
    rows = db.session.execute(sa.select(table).order_by(*key)).mappings()
    return {
        row["id"] if "id" in row else tuple(row[c.name] for c in key): dict(row) for row in rows
    }


def _snapshot() -> dict[str, dict[int, dict]]:
    db.session.expire_all()
    return {table.name: _rows(table) for table in db.metadata.sorted_tables}


def _text(value) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else str(value)


def _found(words, snapshot) -> set[tuple[str, str, str]]:
    """(table, column, word) for every word found in any column of any row, case ignored."""
    found = set()
    for table, rows in snapshot.items():
        for row in rows.values():
            for column, value in row.items():
                text = _text(value).casefold()
                found.update((table, column, w) for w in words if w.casefold() in text)
    return found


def _registrations_of(event: Event) -> list[Registration]:
    return list(
        db.session.scalars(
            sa.select(Registration)
            .where(Registration.event_id == event.id)
            .order_by(Registration.id)
            .execution_options(populate_existing=True)
        )
    )


def test_the_world_is_what_the_tests_assume(world):
    """The scenario really holds the personal data and mail the other tests look for."""
    before = _snapshot()
    assert {w for _, _, w in _found(OLD_PERSONAL, before)} == set(OLD_PERSONAL)
    assert {w for _, _, w in _found(KEPT_PERSONAL, before)} == set(KEPT_PERSONAL)
    kinds = {r["kind"] for r in before["outbox_message"].values() if r["event_id"] == world.old.id}
    assert {"confirmation", "waitlisted", "promoted", "cancelled", "organiser_notice"} <= kinds
    later = {
        (r["kind"], r["state"].value, r["id"] in world.doomed_messages)
        for r in before["outbox_message"].values()
        if r["event_id"] == world.later.id
    }
    # Of the later trip, still within the period: the confirmation sent before the cutoff
    # and the message refused then go; the message sent after the cutoff stays.
    assert later == {
        ("confirmation", "sent", True),
        ("participant_message", "failed", True),
        ("participant_message", "sent", False),
    }
    kept_kinds = {(before["outbox_message"][i]["event_id"], before["outbox_message"][i]["kind"])
                  for i in world.kept_messages}  # fmt: skip
    # Edgars' confirmation went out before the cutoff too, though his event is kept.
    assert kept_kinds == {
        (world.later.id, "participant_message"),
        (world.recent.id, "confirmation"),
    }


def test_personal_data_of_old_events_is_gone_from_every_table(world):
    with frozen_time(NOW):
        report = retention.anonymise_expired()
    after = _snapshot()

    assert _found(OLD_PERSONAL, after) == set()
    assert {w for _, _, w in _found(KEPT_PERSONAL, after)} == set(KEPT_PERSONAL)
    assert (report.events, report.registrations) == (1, 4)
    assert report.messages == len(world.doomed_messages)
    assert set(after["outbox_message"]) == world.kept_messages
    for registration in _registrations_of(world.old):
        assert registration.is_anonymised and registration.anonymised_at == NOW
        assert registration.email_key is None
        assert registration.full_name == ""


def test_the_counts_stay_true(world):
    events = [world.old, world.edge, world.later, world.recent]
    ids = [e.id for e in events]
    figures_before = statistics.figures_by_event(ids)
    places_before = [(p.place, p.confirmed, p.attended) for p in statistics.overview().places]
    kept_before = [
        (r.status, r.attendance, r.place, r.source, r.queued_at, r.confirmed_at, r.cancelled_at,
         r.checked_in_at, r.created_at, r.pickup_stop_id, r.language)
        for r in _registrations_of(world.old)
    ]  # fmt: skip

    with frozen_time(NOW):
        retention.anonymise_expired()

    assert statistics.figures_by_event(ids) == figures_before
    old = statistics.figures_by_event([world.old.id])[world.old.id]
    assert (old.registrations, old.confirmed, old.cancelled, old.attended) == (4, 3, 1, 2)
    assert [
        (r.status, r.attendance, r.place, r.source, r.queued_at, r.confirmed_at, r.cancelled_at,
         r.checked_in_at, r.created_at, r.pickup_stop_id, r.language)
        for r in _registrations_of(world.old)
    ] == kept_before  # fmt: skip
    # By place: the configured places are counted as before. Marta, who typed her village
    # under "other", cancelled, so she was never in these counts.
    assert [(p.place, p.confirmed, p.attended) for p in statistics.overview().places] == (
        places_before
    )
    sources = {r.source for r in _registrations_of(world.old)}
    assert sources == {RegistrationSource.ONLINE, RegistrationSource.WALK_IN}


def test_a_typed_place_of_residence_is_erased_and_counted_as_other(app, make_event):
    with frozen_time(datetime(2025, 1, 10, tzinfo=UTC)):
        event = make_event(starts_at=datetime(2025, 1, 20, tzinfo=UTC))
        booking.sign_up(event.id, _details("Rūta", "Cita", "ruta@example.lv", place="other",
                                           place_other="Ozolnieku ciems"))  # fmt: skip
    rows_before = [(p.place, p.confirmed) for p in statistics.overview().places]
    with frozen_time(NOW):
        retention.anonymise_expired()
    assert rows_before == [("Ozolnieku ciems", 1)]
    assert [(p.place, p.confirmed) for p in statistics.overview().places] == [("other", 1)]


def test_statistics_still_work_for_anonymised_events(world):
    before = statistics.overview(event=world.old)
    # Ģirts, Jānis and Valda (a walk-in without email, a person of her own); two attended.
    assert (before.unique_confirmed, before.unique_attended) == (3, 2)
    with frozen_time(NOW):
        retention.anonymise_expired()
        data = statistics.overview()
        single = statistics.overview(event=world.old)
    # Unique people are told apart by email address, which is gone: the anonymised
    # event adds nobody to the unique count, but its registrations are still counted.
    assert single.totals.confirmed == 3
    assert (single.unique_confirmed, single.unique_attended) == (0, 0)
    # Edgars, Ilgais and Laima, of the events still within the period; nobody checked in.
    assert (data.unique_confirmed, data.unique_attended) == (3, 0)


def test_the_private_link_of_an_anonymised_registration_is_404(world, client):
    with frozen_time(NOW):
        for name in ("girts", "janis", "edgars", "laima", "ilgais"):
            assert client.get(f"/pieteikums/{world.tokens[name]}").status_code == 200, name
        retention.anonymise_expired()
        for name in ("girts", "janis"):
            response = client.get(f"/pieteikums/{world.tokens[name]}")
            assert response.status_code == 404
            assert "Ģirts" not in response.get_data(as_text=True)
        for name in ("edgars", "laima", "ilgais"):
            assert client.get(f"/pieteikums/{world.tokens[name]}").status_code == 200, name
    # The stored value can match no token: real hashes are 64 hex digits.
    for registration in _registrations_of(world.old):
        assert registration.manage_token_hash == f"anonymised:{registration.id}"
        assert tokens.find_by_token(tokens.manage_token(registration)) is None


def test_nothing_else_is_touched(world):
    before = _snapshot()
    with frozen_time(NOW):
        retention.anonymise_expired()
    after = _snapshot()

    old_registrations = {r.id for r in _registrations_of(world.old)}
    for table in before:
        if table == "registration":
            assert {k: v for k, v in after[table].items() if k not in old_registrations} == {
                k: v for k, v in before[table].items() if k not in old_registrations
            }
        elif table in ("outbox_message", "outbox_attachment"):
            continue
        else:
            assert after[table] == before[table], table
    assert {k: before["outbox_message"][k] for k in world.kept_messages} == after["outbox_message"]
    assert {
        k: v
        for k, v in before["outbox_attachment"].items()
        if v["message_id"] in world.kept_messages
    } == after["outbox_attachment"]
    # The audit log names nobody: it holds the registration's id, now pointing at a blank row.
    assert after["audit_entry"] == before["audit_entry"]
    assert any(r["registration_id"] in old_registrations for r in after["audit_entry"].values())


def test_running_again_changes_nothing(world):
    with frozen_time(NOW):
        first = retention.anonymise_expired()
    once = _snapshot()
    with frozen_time(NOW):
        second = retention.anonymise_expired()
    assert first.changed_anything
    assert (second.events, second.registrations, second.messages) == (0, 0, 0)
    assert not second.changed_anything
    assert _snapshot() == once
    # A minute later the seminar that ended at the cutoff is past it too, and only it.
    with frozen_time(NOW + timedelta(minutes=1)):
        third = retention.anonymise_expired()
    assert (third.events, third.registrations, third.messages) == (1, 1, 0)
    assert [r.is_anonymised for r in _registrations_of(world.edge)] == [True]


def test_a_dry_run_counts_without_changing_anything(world):
    before = _snapshot()
    with frozen_time(NOW):
        dry = retention.anonymise_expired(dry_run=True)
        assert _snapshot() == before
        real = retention.anonymise_expired()
    assert dry.dry_run and not real.dry_run
    assert (dry.events, dry.registrations, dry.messages) == (
        real.events,
        real.registrations,
        real.messages,
    )
    assert dry.cutoff == real.cutoff == CUTOFF


def test_the_mail_files_of_deleted_messages_are_removed(world, app):
    folder = Path(app.instance_path) / "mail"
    numbers = {int(p.name.split("-")[0]) for p in folder.glob("*.eml")}
    assert world.doomed_messages & numbers and world.kept_messages & numbers

    with frozen_time(NOW):
        retention.anonymise_expired()

    left = {int(p.name.split("-")[0]) for p in folder.glob("*.eml")}
    assert left == numbers - world.doomed_messages
    assert left & world.kept_messages


def test_the_back_office_shows_anonymised_events_without_names(world, client):
    with frozen_time(NOW):
        retention.anonymise_expired()
        assert log_in(client, world.organiser.email).status_code == 302
        for url in (
            f"/admin/events/{world.old.id}",
            f"/admin/events/{world.old.id}/participants?status=all",
            f"/admin/events/{world.old.id}/overview",
            "/admin/overview",
            "/admin/audit",
        ):
            response = client.get(url)
            assert response.status_code == 200, url
            page = response.get_data(as_text=True)
            assert not [w for w in OLD_PERSONAL if w in page], url


@pytest.mark.parametrize(
    ("moment", "months", "expected"),
    [
        (datetime(2027, 3, 31, 10, 0, tzinfo=UTC), 24, datetime(2025, 3, 31, 10, 0, tzinfo=UTC)),
        (datetime(2027, 3, 31, 10, 0, tzinfo=UTC), 1, datetime(2027, 2, 28, 10, 0, tzinfo=UTC)),
        (datetime(2028, 3, 31, 10, 0, tzinfo=UTC), 1, datetime(2028, 2, 29, 10, 0, tzinfo=UTC)),
        (datetime(2027, 1, 15, 0, 0, tzinfo=UTC), 13, datetime(2025, 12, 15, 0, 0, tzinfo=UTC)),
        (datetime(2027, 12, 1, 0, 0, tzinfo=UTC), 11, datetime(2027, 1, 1, 0, 0, tzinfo=UTC)),
    ],
)
def test_months_are_calendar_months(moment, months, expected):
    assert retention.months_before(moment, months) == expected


@pytest.mark.parametrize("app_config", [{"RETENTION_MONTHS": 6}])
def test_the_period_follows_the_setting(app, make_event, make_registration, app_config):
    with frozen_time(NOW):
        seven = make_event(starts_at=NOW - timedelta(days=214))
        five = make_event(starts_at=NOW - timedelta(days=150))
        for event in (seven, five):
            make_registration(event)
        report = retention.anonymise_expired()
    assert report.registrations == 1
    assert [r.is_anonymised for r in _registrations_of(seven)] == [True]
    assert [r.is_anonymised for r in _registrations_of(five)] == [False]


@pytest.mark.parametrize("months", [0, -3, "24", 2.5, None])
def test_a_wrong_period_stops_start_up(tmp_path, months):
    from registration import create_app

    with pytest.raises(SystemExit) as stopped:
        create_app(
            {"SECRET_KEY": "k" * 40, "RETENTION_MONTHS": months}, instance_path=str(tmp_path)
        )
    assert "RETENTION_MONTHS must be a whole number of months" in str(stopped.value)
