"""The schema comes from the migrations alone, and they match the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from registration.extensions import db


def test_migrated_schema_matches_the_models(app):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_upgrade_builds_an_empty_database_from_the_command_line(tmp_path):

    from registration import create_app

    app = create_app({"SECRET_KEY": "k" * 40}, instance_path=str(tmp_path))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        tables = set(db.inspect(db.engine).get_table_names())
        db.engine.dispose()
    assert {"event", "registration", "organiser", "project", "pickup_stop"} <= tables
    assert (tmp_path / "registration.sqlite3").exists()
