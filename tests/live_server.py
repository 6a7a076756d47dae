"""A real gunicorn server and a small HTTP client with cookies, for tests and benchmarks
that need several processes and real connections."""

from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def app_env(app, **settings: str) -> dict[str, str]:
    """The environment that makes a server process serve the test's app: its database,
    secret key and instance folder, and `settings` (FLASK_… without the prefix)."""
    return {
        "FLASK_SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "FLASK_SECRET_KEY": app.config["SECRET_KEY"],
        "REGISTRATION_INSTANCE_PATH": app.instance_path,
        "FLASK_PUBLIC_BASE_URL": "http://127.0.0.1",
        **{f"FLASK_{name}": value for name, value in settings.items()},
    }


@contextmanager
def gunicorn(
    *,
    env: dict[str, str],
    workers: int = 4,
    app: str = "wsgi:app",
    threads: int = 1,
    port: int | None = None,
) -> Iterator[str]:
    """Serve `app` with gunicorn on a loopback port (a free one unless given); yield its
    base URL."""
    port = port or free_port()
    command = [
        sys.executable, "-m", "gunicorn", app,
        "--workers", str(workers), "--threads", str(threads),
        "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "--backlog", "1024",
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env})
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {process.returncode}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start in 30 s") from None
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Browser:
    """One visitor: keeps cookies, does not follow redirects, sends a form's hidden fields."""

    CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
    HIDDEN = re.compile(r'<input[^>]*name="([^"]+)"[^>]*type="hidden"[^>]*value="([^"]*)"')

    def __init__(self, base_url: str, timeout: float = 60, headers: dict | None = None) -> None:
        parts = urlsplit(base_url)
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
        self.cookies: dict[str, str] = {}
        #: Sent with every request, e.g. X-Forwarded-For to be another visitor.
        self.headers = dict(headers or {})

    def close(self) -> None:
        self.connection.close()

    @classmethod
    def hidden_fields(cls, page: str) -> dict[str, str]:
        """The hidden inputs of a page: the CSRF token, the sign-up form's stamp."""
        return dict(cls.HIDDEN.findall(page))

    def request(
        self, method: str, path: str, form: dict | None = None, headers: dict | None = None
    ):
        headers = {**self.headers, **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        data = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.headers, data.decode("utf-8", "replace")

    def get(self, path: str):
        return self.request("GET", path)

    def post_form(self, page_path: str, form: dict, action: str | None = None):
        """GET the page for its hidden fields (CSRF token, stamp), then POST the form."""
        status, _, page = self.get(page_path)
        if status != 200:
            return status, {}, page
        return self.request("POST", action or page_path, {**self.hidden_fields(page), **form})
