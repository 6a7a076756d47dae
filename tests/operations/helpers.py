"""Helpers the operations tests share."""

from __future__ import annotations

from contextlib import contextmanager

from registration.extensions import db


@contextmanager
def using(other_app):
    """Work in another app's context, leaving no connection of it open."""
    with other_app.app_context():
        try:
            yield
        finally:
            db.session.remove()
            db.engine.dispose()
