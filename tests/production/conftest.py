"""Fixtures for the production tests: an install (instance folder and migrated database)
shared by the tests of one module, so that its servers start once."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from ..operations.conftest import other_install  # noqa: F401 (a fixture used here too)
from ..settings import TEST_DATABASE_URL

SECRET_KEY = "production-test-secret-key-0123456789abcdef"


@dataclass
class Install:
    instance: Path
    database_uri: str
    secret_key: str = SECRET_KEY


@pytest.fixture(scope="module")
def module_install(migrated_database, tmp_path_factory) -> Install:
    instance = tmp_path_factory.mktemp("instance")
    if TEST_DATABASE_URL:
        return Install(instance, migrated_database)
    template = Path(migrated_database.removeprefix("sqlite:///"))
    shutil.copyfile(template, instance / "registration.sqlite3")
    return Install(instance, f"sqlite:///{instance / 'registration.sqlite3'}")
