"""Fixtures for the operations tests: a second, empty database to restore into."""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from registration import create_app

from ..settings import TEST_DATABASE_URL, base_config


def create_scratch_database(name_suffix: str) -> str:
    """A new empty PostgreSQL database next to the test database; returns its URL."""
    url = make_url(TEST_DATABASE_URL)
    name = f"{url.database}_{name_suffix}_{os.getpid()}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def drop_scratch_database(uri: str) -> None:
    url = make_url(uri)
    admin = sa.create_engine(make_url(TEST_DATABASE_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def other_install(tmp_path):
    """Another install (instance folder and empty database) of the same kind as the test's,
    with its own secret key; yields a factory of apps bound to it."""
    instance = tmp_path / "other-instance"
    instance.mkdir()
    if TEST_DATABASE_URL:
        uri = create_scratch_database("other")
    else:
        uri = f"sqlite:///{instance / 'registration.sqlite3'}"
    config = {**base_config(uri), "SECRET_KEY": None}

    def make_app(**extra):
        return create_app({**config, **extra}, instance_path=str(instance))

    yield make_app
    if TEST_DATABASE_URL:
        drop_scratch_database(uri)
