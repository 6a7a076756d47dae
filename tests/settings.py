"""What the environment tells the suite, and the settings every test app starts from."""

from __future__ import annotations

import os

#: A PostgreSQL URL to run the suite on instead of SQLite (its schema is dropped and rebuilt).
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
#: A Riga time ("00:10") or day and time ("2027-03-28 03:30") to run the suite at.
TEST_CLOCK = os.environ.get("TEST_CLOCK")


def base_config(database_uri: str) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
        "SQLALCHEMY_DATABASE_URI": database_uri,
        "WTF_CSRF_ENABLED": False,
        "PUBLIC_BASE_URL": "http://localhost",
        "RATELIMIT_ENABLED": False,
    }
