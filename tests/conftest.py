"""Fixtures: a fresh database per test, built by the migrations once per run.

SQLite (default): the migrated file is copied for every test. PostgreSQL (TEST_DATABASE_URL
set): the schema is migrated once and every table is emptied after each test.

TEST_CLOCK runs the suite as if it were another moment in Riga, time still passing from there:
`TEST_CLOCK=00:10 make test` (the last ten past midnight) or `TEST_CLOCK="2027-03-28 03:30"`
(a day and a time). The suite must pass at any of them; this is how to show it without
waiting for midnight. Only the app's clock (`now_utc()`) moves, not processes the tests start.
"""

from __future__ import annotations

import contextvars
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade

from registration import create_app, timeutil
from registration.extensions import db

from . import factories
from .settings import TEST_CLOCK, TEST_DATABASE_URL, base_config

#: Pages in a real browser: a suite of its own (`make browser-test`), not part of `make test`.
BROWSER_SUITE = Path(__file__).resolve().parent / "browser"


def pytest_addoption(parser):
    parser.addoption(
        "--browser",
        action="store_true",
        help="run the browser suite in tests/browser (needs Chromium; see make browser-test)",
    )


def pytest_ignore_collect(collection_path, config):
    in_browser_suite = collection_path == BROWSER_SUITE or BROWSER_SUITE in collection_path.parents
    return True if in_browser_suite and not config.getoption("--browser") else None


def pytest_terminal_summary(terminalreporter, config):
    if not config.getoption("--browser"):
        terminalreporter.write_line(
            "Not run here: every page in Chromium (axe-core, Nu HTML Checker, keyboard, "
            "phone widths, print): make browser-test"
        )


def clock_moment(setting: str, real_now: datetime) -> datetime:
    """The aware moment TEST_CLOCK names: "YYYY-MM-DD HH:MM" in Riga, or "HH:MM" for the last
    time the clocks in Riga showed it. (The past, so that rows the tests write are already due
    for the mail worker and other processes they start, which keep the real clock.)"""
    if len(setting) > 5:
        return datetime.fromisoformat(setting).replace(tzinfo=timeutil.RIGA)
    today = timeutil.to_riga(real_now).date()
    moment = datetime.fromisoformat(f"{today.isoformat()} {setting}").replace(tzinfo=timeutil.RIGA)
    return moment if moment <= real_now else moment - timedelta(days=1)


@pytest.fixture(scope="session", autouse=True)
def test_clock():
    """With TEST_CLOCK set, the app's clock starts at that moment and runs on from there."""
    if not TEST_CLOCK:
        yield
        return
    real_now = datetime.now(UTC)
    offset = clock_moment(TEST_CLOCK, real_now) - real_now
    previous = timeutil._clock
    timeutil._clock = lambda: datetime.now(UTC) + offset
    try:
        yield
    finally:
        timeutil._clock = previous


def reset_postgres_schema(uri: str) -> None:
    engine = sa.create_engine(uri)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory) -> str:
    """A database URL (or SQLite template path) whose schema the migrations built."""
    instance = tmp_path_factory.mktemp("instance-template")
    if TEST_DATABASE_URL:
        reset_postgres_schema(TEST_DATABASE_URL)
        uri = TEST_DATABASE_URL
    else:
        uri = f"sqlite:///{instance / 'template.sqlite3'}"
    app = create_app(base_config(uri), instance_path=str(instance))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return uri


def empty_all_tables() -> None:
    tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
    with db.engine.begin() as conn:
        conn.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


class IsolatedClient(FlaskClient):
    """A test client whose requests each get their own app context, as on a real server.

    The `app` fixture keeps an app context open for the test's own database work; without
    this, requests would share its `g` (cached user, language) and its database session.
    After a request, the test's session ends its read transaction and forgets what it loaded,
    so it reads the rows the request wrote (SQLite in WAL mode would otherwise keep showing
    the snapshot the test's transaction began with).
    """

    def open(self, *args, **kwargs):
        response = contextvars.Context().run(super().open, *args, **kwargs)
        if has_app_context():
            session = db.session()
            if session.new or session.dirty or session.deleted:
                raise RuntimeError("commit the test's changes before making a request")
            session.rollback()
            session.expire_all()
        return response


@pytest.fixture
def app_config() -> dict:
    """Extra settings for the `app` fixture; override in a test module to change them."""
    return {}


@pytest.fixture
def app(migrated_database, tmp_path, app_config):
    instance = tmp_path / "instance"
    instance.mkdir()
    if TEST_DATABASE_URL:
        uri = migrated_database
    else:
        template = Path(migrated_database.removeprefix("sqlite:///"))
        shutil.copyfile(template, instance / "registration.sqlite3")
        uri = f"sqlite:///{instance / 'registration.sqlite3'}"
    app = create_app({**base_config(uri), **app_config}, instance_path=str(instance))
    app.test_client_class = IsolatedClient
    with app.app_context():
        yield app
        db.session.remove()
        if TEST_DATABASE_URL:
            empty_all_tables()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_event(app):
    return factories.make_event


@pytest.fixture
def make_registration(app):
    return factories.make_registration


@pytest.fixture
def make_question(app):
    return factories.make_question


@pytest.fixture
def make_organiser(app):
    return factories.make_organiser


@pytest.fixture
def make_project(app):
    return factories.make_project


@pytest.fixture
def make_post(app):
    return factories.make_post


@pytest.fixture
def make_outbox_message(app):
    return factories.make_outbox_message
