"""Running `flask --app registration …` as a separate process against the test database."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def flask_env(app, **config) -> dict[str, str]:
    """The environment for a process that uses the test app's database and settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLASK_")}
    settings = {
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "SECRET_KEY": app.config["SECRET_KEY"],
        "PUBLIC_BASE_URL": app.config["PUBLIC_BASE_URL"],
        "MAIL_SERVER": app.config["MAIL_SERVER"],
        "MAIL_PORT": app.config["MAIL_PORT"],
        "MAIL_DEFAULT_SENDER": app.config["MAIL_DEFAULT_SENDER"],
        "ORGANISATION_NAME": app.config["ORGANISATION_NAME"],
        "MAIL_TIMEOUT": app.config["MAIL_TIMEOUT"],
        "MAIL_LEASE_SECONDS": app.config["MAIL_LEASE_SECONDS"],
        **config,
    }
    env.update({f"FLASK_{key}": str(value) for key, value in settings.items()})
    env["REGISTRATION_INSTANCE_PATH"] = app.instance_path
    env["PYTHONUNBUFFERED"] = "1"
    return env


def start_flask(app, *args: str, **config) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "registration", *args],
        cwd=ROOT,
        env=flask_env(app, **config),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen, timeout: float = 60) -> tuple[int, str, str]:
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        raise AssertionError(f"the process did not end in {timeout} s: {out} {err}") from None
    return process.returncode, out, err


@contextmanager
def running_flask(app, *args: str, **config) -> Iterator[subprocess.Popen]:
    """`start_flask` for a long-running command; killed at the end if still running."""
    process = start_flask(app, *args, **config)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            finish(process)


def stop(process: subprocess.Popen, timeout: float = 30) -> tuple[int, str, str]:
    """Stop as a service manager does (SIGTERM); (exit code, stdout, stderr)."""
    process.send_signal(signal.SIGTERM)
    return finish(process, timeout=timeout)
