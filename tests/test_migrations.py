"""The schema comes from the migrations alone, and they match the models."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from registration import create_app
from registration.extensions import db

from .conftest import TEST_DATABASE_URL, base_config, reset_postgres_schema


def test_migrated_schema_matches_the_models(app):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_upgrade_builds_an_empty_database_from_the_command_line(tmp_path):
    app = create_app({"SECRET_KEY": "k" * 40}, instance_path=str(tmp_path))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        tables = set(db.inspect(db.engine).get_table_names())
        db.engine.dispose()
    assert {"event", "registration", "organiser", "project", "pickup_stop"} <= tables
    assert (tmp_path / "registration.sqlite3").exists()


def test_upgrading_a_database_with_registrations_keeps_them_and_lets_households_sign_up(
    tmp_path, migrated_database
):
    """A database at the revision before questions and groups, with people signed up, is
    upgraded: every registration gets its name key, events their group settings, and the
    one-registration-per-person rule now tells members of a household apart."""
    if TEST_DATABASE_URL:
        reset_postgres_schema(TEST_DATABASE_URL)
        uri = TEST_DATABASE_URL
    else:
        uri = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    app = create_app(base_config(uri), instance_path=str(tmp_path))
    try:
        with app.app_context():
            upgrade(revision="0009")
            now = "2026-11-29 10:00:00"
            with db.engine.begin() as conn:
                conn.execute(
                    sa.text(
                        "INSERT INTO event (id, uid, sequence, calendar_changed_at, slug, kind,"
                        " status, title, summary, description, audience, starts_at, ends_at,"
                        " venue_name, venue_address, is_online, confirmed_count,"
                        " has_waiting_list, requires_phone, contact_name, contact_email,"
                        " contact_phone, practical_info, notify_organiser, cancellation_reason,"
                        " created_at, updated_at) VALUES (1, 'u@r', 0, :now, 'domnica',"
                        " 'think_tank', 'published', 'Domnīca', '', '', '', '2030-01-01 10:00:00',"
                        " '2030-01-01 12:00:00', 'Nams', '', false, 1, true, false, '', '', '',"
                        " '', false, '', :now, :now)"
                    ),
                    {"now": now},
                )
                conn.execute(
                    sa.text(
                        "INSERT INTO registration (id, event_id, status, first_name, last_name,"
                        " email, email_key, phone, place, place_other, organisation, needs,"
                        " comment, consent_notice_version, photo_opt_out, wants_news, language,"
                        " source, queued_at, manage_nonce, manage_token_hash, organiser_note,"
                        " created_at, updated_at) VALUES (1, 1, 'confirmed', 'Jānis',"
                        " 'Bērziņš  ', 'Gimene@example.lv', 'gimene@example.lv', '', 'Koknese',"
                        " '', '', '', '', '', false, false, 'lv', 'online', :now, 'n', 'h', '',"
                        " :now, :now)"
                    ),
                    {"now": now},
                )
                conn.execute(
                    sa.text(
                        "INSERT INTO pickup_stop (event_id, position, place, departs_at, note)"
                        " VALUES (1, 1, 'Koknese', '2030-01-01 09:30:00', '')"
                    )
                )
            upgrade()
            with db.engine.begin() as conn:
                # Nothing that points at the events or registrations is lost on the way.
                assert conn.execute(sa.text("SELECT count(*) FROM pickup_stop")).scalar() == 1
                assert conn.execute(sa.text("SELECT name_key FROM registration")).scalar() == (
                    "janis berzins"
                )
                assert conn.execute(sa.text("SELECT max_companions FROM event")).scalar() == 3
                insert = sa.text(
                    "INSERT INTO registration (id, event_id, status, first_name, last_name, email,"
                    " email_key, name_key, phone, place, place_other, organisation, needs,"
                    " comment, consent_notice_version, photo_opt_out, wants_news, language,"
                    " source, queued_at, manage_nonce, manage_token_hash, organiser_note,"
                    " created_at, updated_at) VALUES (:id, 1, 'confirmed', 'Līga', 'Bērziņa',"
                    " 'gimene@example.lv', 'gimene@example.lv', :key, '', '', '', '', '', '',"
                    " '', false, false, 'lv', 'online', :now, 'n', :hash, '', :now, :now)"
                )
                # A second member of the household: allowed now.
                conn.execute(insert, {"id": 2, "key": "liga berzina", "hash": "h2", "now": now})
            with pytest.raises(sa.exc.IntegrityError), db.engine.begin() as conn:
                # The same person twice: still refused by the database.
                conn.execute(insert, {"id": 3, "key": "janis berzins", "hash": "h3", "now": now})
            db.engine.dispose()
    finally:
        if TEST_DATABASE_URL:
            reset_postgres_schema(TEST_DATABASE_URL)
            with create_app(base_config(uri), instance_path=str(tmp_path)).app_context():
                upgrade()
                db.engine.dispose()
