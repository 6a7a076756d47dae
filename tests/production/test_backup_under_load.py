"""A backup taken while people keep signing up holds every registration committed before
it started, nothing half-saved, and the install restored from it starts with its private
links working."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from registration.extensions import db
from registration.models import Event, Registration, RegistrationStatus
from registration.operations import restore
from registration.services import tokens

from ..live_server import Browser
from ..operations.helpers import using
from ..pages import in_letters
from .servers import MANY_SIGN_UPS, ROOT, app_env, production_server

CLIENTS = 4


@pytest.fixture
def server(app, tmp_path):
    env = app_env(
        Path(app.instance_path),
        SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
        SECRET_KEY=app.config["SECRET_KEY"],
        SCHEDULER_ENABLED="false",
        **MANY_SIGN_UPS,
    )
    with production_server(env, tmp_path / "gunicorn.log") as running:
        yield running, env


def registrations() -> set[tuple[int, str]]:
    db.session.rollback()
    return {
        tuple(row) for row in db.session.execute(sa.select(Registration.id, Registration.email))
    }


def wait_for_more(than: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while len(registrations()) < than + 10:
        assert time.monotonic() < deadline, "sign-ups stopped"
        time.sleep(0.05)


def test_a_backup_during_sign_ups_has_all_committed_before_it(
    app, server, make_event, other_install, tmp_path
):
    running, env = server
    event = make_event(capacity=10_000)
    event_id, slug = event.id, event.slug
    stop = threading.Event()
    statuses: list[int] = []

    def person_after_person(client: int) -> None:
        browser = Browser(running.url)
        n = 0
        try:
            while not stop.is_set():
                n += 1
                status, _, _ = browser.post_form(
                    f"/notikumi/{slug}",
                    {
                        "first_name": "Rūta",
                        "last_name": f"Numurs {in_letters(client)} {in_letters(n)}",
                        "email": f"ruta.{client}.{n}@example.lv",
                        "place": "Koknese",
                        "consent": "y",
                    },
                )
                statuses.append(status)
        finally:
            browser.close()

    clients = [threading.Thread(target=person_after_person, args=(k,)) for k in range(CLIENTS)]
    for thread in clients:
        thread.start()
    try:
        wait_for_more(than=0)
        committed_before = registrations()
        made = subprocess.run(
            [
                sys.executable,
                "-m",
                "flask",
                "--app",
                "registration",
                "backup",
                "create",
                str(tmp_path / "backups"),
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert made.returncode == 0, made.stderr
        wait_for_more(than=len(registrations()))
    finally:
        stop.set()
        for thread in clients:
            thread.join(timeout=60)
    assert set(statuses) == {303}
    everything = registrations()
    [archive] = (tmp_path / "backups").iterdir()

    target = other_install()
    with using(target):
        restore.restore_backup(archive)
    restarted = other_install()
    with using(restarted):
        restored = registrations()
        assert committed_before <= restored <= everything
        assert len(restored) < len(everything)  # sign-ups went on after the backup
        confirmed = db.session.scalar(
            sa.select(sa.func.count()).where(Registration.status == RegistrationStatus.CONFIRMED)
        )
        assert db.session.get(Event, event_id).confirmed_count == confirmed == len(restored)
        people = db.session.scalars(sa.select(Registration).limit(3)).all()
        links = [(tokens.manage_token(person), person.last_name) for person in people]
        client = restarted.test_client()
        for token, last_name in links:
            page = client.get(f"/pieteikums/{token}")
            assert page.status_code == 200
            assert last_name in page.get_data(as_text=True)
