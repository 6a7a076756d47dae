"""Fixtures: a fresh database per test, built by the migrations once per run.

SQLite (default): the migrated file is copied for every test. PostgreSQL (TEST_DATABASE_URL
set): the schema is migrated once and every table is emptied after each test.
"""

from __future__ import annotations

import contextvars
import os
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade

from registration import create_app
from registration.extensions import db

from . import factories

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")


def base_config(database_uri: str) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
        "SQLALCHEMY_DATABASE_URI": database_uri,
        "WTF_CSRF_ENABLED": False,
        "PUBLIC_BASE_URL": "http://localhost",
        "RATELIMIT_ENABLED": False,
    }


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
def make_project(app):
    return factories.make_project


@pytest.fixture
def make_post(app):
    return factories.make_post
