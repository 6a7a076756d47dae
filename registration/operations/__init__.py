"""Running the app for real: `/healthz`, the in-app scheduler, backups and restores.

This package puts the other areas to work together (reminders from `mail`, the retention
purge from `privacy`, the whole database), so it sits above them all: only the app factory,
the CLI and the gunicorn configuration (`deploy/gunicorn.conf.py`) import it.
"""

from __future__ import annotations

from flask import Flask

from ..mail import sender
from . import cli, health, scheduler


def init_app(app: Flask) -> None:
    health.init_app(app)
    scheduler.init_app(app)
    cli.init_app(app)


def start_background_work(app: Flask) -> None:
    """Start this process's mail sender and scheduler now rather than at its first request,
    so that an install nobody visits for a day still sends its reminders. For servers that
    can call it once a worker is ready (gunicorn's post_worker_init)."""
    for thread in (sender.background_sender(app), scheduler.scheduler(app)):
        if thread is not None:
            thread.ensure_started()
