"""The shipped deployment files: systemd units that systemd accepts, an example config that
names only settings the app knows, and gunicorn settings that reload without a failed
request."""

from __future__ import annotations

import os
import runpy
import shutil
import signal
import subprocess
import sys
import threading
import time

import pytest

from registration import create_app

from ..live_server import Browser, free_port
from ..settings import base_config
from .servers import ROOT, app_env, once_per_suite, production_server

DEPLOY = ROOT / "deploy"


def test_the_systemd_units_are_valid(tmp_path):
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed")
    if not (ROOT / ".venv" / "bin" / "gunicorn").exists():
        pytest.skip("the units start programs from .venv, which is not built here")
    units = sorted((DEPLOY / "systemd").iterdir())
    assert {unit.name for unit in units} >= {
        "registration-web.service",
        "registration-mail.service",
        "registration-reminders.timer",
        "registration-retention.timer",
        "registration-backup.timer",
    }
    for unit in units:
        text = unit.read_text(encoding="utf-8").replace("/srv/registration", str(ROOT))
        (tmp_path / unit.name).write_text(text, encoding="utf-8")
    checked = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *(str(tmp_path / u.name) for u in units)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (checked.returncode, checked.stdout + checked.stderr) == (0, "")


def test_the_example_config_names_only_settings_the_app_knows(tmp_path):
    example = runpy.run_path(str(DEPLOY / "config.py.example"))
    settings = {name: value for name, value in example.items() if name.isupper()}
    uri = f"sqlite:///{tmp_path / 'registration.sqlite3'}"
    app = create_app(
        {**base_config(uri), **settings, "SQLALCHEMY_DATABASE_URI": uri}, str(tmp_path)
    )
    known = set(create_app(base_config(uri), str(tmp_path)).config)
    assert set(settings) - known == set()
    assert app.config["PROXY_FIX_X_FOR"] == 1


def test_workers_follow_the_cores_and_gunicorns_access_log_is_off(monkeypatch):
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    settings = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    assert settings["workers"] == os.cpu_count() * 2 + 1
    assert settings["accesslog"] is None  # the app writes the line, without tokens


@once_per_suite
def test_a_reload_replaces_the_workers_without_a_failed_request(module_install, tmp_path):
    env = app_env(
        module_install.instance,
        SQLALCHEMY_DATABASE_URI=module_install.database_uri,
        SECRET_KEY=module_install.secret_key,
        SCHEDULER_ENABLED="false",
    )
    with production_server(env, tmp_path / "gunicorn.log", workers=1) as server:
        old_workers = set(server.worker_pids())
        statuses: list[int] = []
        stop = threading.Event()

        def visitor() -> None:
            while not stop.is_set():
                browser = Browser(server.url, timeout=30)
                try:
                    statuses.append(browser.get("/")[0])
                finally:
                    browser.close()

        thread = threading.Thread(target=visitor)
        thread.start()
        try:
            time.sleep(0.5)
            server.process.send_signal(signal.SIGHUP)
            deadline = time.monotonic() + 60
            while set(server.worker_pids()) & old_workers or not server.worker_pids():
                assert time.monotonic() < deadline, "the workers were not replaced"
                time.sleep(0.1)
            count = len(statuses)
            while len(statuses) < count + 5:
                assert time.monotonic() < deadline, "the new workers do not answer"
                time.sleep(0.05)
        finally:
            stop.set()
            thread.join(timeout=30)
    assert set(statuses) == {200}


@once_per_suite
def test_a_wrong_database_setting_stops_gunicorn_with_one_clear_line(tmp_path):
    closed = f"postgresql+psycopg://app:secret@127.0.0.1:{free_port()}/registration"
    env = app_env(tmp_path, SQLALCHEMY_DATABASE_URI=closed, SECRET_KEY="k" * 40)
    env.update(REGISTRATION_BIND=f"127.0.0.1:{free_port()}", WEB_CONCURRENCY="1")
    done = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--config", "deploy/gunicorn.conf.py", "wsgi:app"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "registration: configuration error: cannot connect to the database" in done.stderr
    assert "secret" not in done.stderr
    assert "Booting worker" not in done.stderr
