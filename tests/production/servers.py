"""The real parts of a production install, started for a test: gunicorn with the shipped
`deploy/gunicorn.conf.py`, and nginx with the shipped `deploy/nginx/registration.conf`
adapted only in ports and paths. Each is stopped when its block ends."""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from ..live_server import free_port
from ..settings import TEST_DATABASE_URL

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "deploy" / "nginx" / "registration.conf"
HOST = "pasakumi.example.lv"

#: For tests whose outcome does not depend on the kind of the suite's database (they bring
#: their own, or need none): run once, in the pass without TEST_DATABASE_URL, to keep CI short.
once_per_suite = pytest.mark.skipif(
    bool(TEST_DATABASE_URL),
    reason="independent of the suite's database: runs in the pass without TEST_DATABASE_URL",
)


#: For servers under a load of sign-ups from one machine: the form may be sent at once, and
#: the limits, still counted in the shared store, are wide.
MANY_SIGN_UPS = {
    "SIGNUP_MIN_SECONDS": "0",
    "SIGNUP_LIMIT_PER_ADDRESS": "100000 per minute",
    "SIGNUP_LIMIT_PER_NETWORK": "100000 per minute",
    "SIGNUP_LIMIT_PER_EVENT": "100000 per minute",
}


def app_env(instance: Path, **settings) -> dict[str, str]:
    """The environment of a process of the app: its instance folder and FLASK_* settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLASK_")}
    env.update({f"FLASK_{key}": str(value) for key, value in settings.items()})
    env["REGISTRATION_INSTANCE_PATH"] = str(instance)
    env["PYTHONUNBUFFERED"] = "1"
    return env


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log_path: Path

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]


def wait_until_answering(port: int, process: subprocess.Popen, what: str, timeout=90) -> None:
    """Until the server answers over HTTP (generous: a busy 2-core machine starts slowly)."""
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            connection.request("GET", "/healthz")
            connection.getresponse().read()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{what} did not answer in {timeout} s") from None
            time.sleep(0.1)
        finally:
            connection.close()


def stop_process(process: subprocess.Popen, sig=signal.SIGTERM, timeout: float = 30) -> None:
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def start_server(env: dict[str, str], log_path: Path, *, workers: int = 2) -> Server:
    """Start `gunicorn --config deploy/gunicorn.conf.py wsgi:app` on a free loopback port."""
    port = free_port()
    env = {**env, "REGISTRATION_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": str(workers)}
    command = [sys.executable, "-m", "gunicorn", "--config", "deploy/gunicorn.conf.py"]
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            [*command, "wsgi:app"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    return Server(f"http://127.0.0.1:{port}", process, log_path)


@contextmanager
def production_servers(*configs: tuple[dict[str, str], Path], workers: int = 2):
    """Several servers started together (each `(env, log path)`); yields them once all
    answer, stops them all at the end."""
    servers = [start_server(env, log, workers=workers) for env, log in configs]
    try:
        for server in servers:
            wait_until_answering(server.port, server.process, "gunicorn")
        yield servers
    finally:
        for server in servers:
            stop_process(server.process)


@contextmanager
def production_server(env: dict[str, str], log_path: Path, *, workers: int = 2) -> Iterator[Server]:
    with production_servers((env, log_path), workers=workers) as (server,):
        yield server


def nginx_binary() -> str:
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
    if found is None:
        pytest.skip("nginx is not installed (apt-get install nginx; .ci/run installs it)")
    if not Path("/etc/nginx/mime.types").is_file():
        pytest.skip("nginx's /etc/nginx/mime.types is missing")
    return found


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed (apt-get install openssl)")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            f"/CN={HOST}",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return cert, key


def adapted_site(
    *, http_port: int, https_port: int, upstream_port: int, folder: Path, cert: Path, key: Path
) -> str:
    """The shipped site, with only its ports and paths changed for this machine."""
    text = SITE.read_text(encoding="utf-8")
    replacements = [
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("    listen [::]:80;\n", ""),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
        ("    listen [::]:443 ssl http2;\n", ""),
        ("server 127.0.0.1:8000", f"server 127.0.0.1:{upstream_port}"),
        (f"/etc/letsencrypt/live/{HOST}/fullchain.pem", str(cert)),
        (f"/etc/letsencrypt/live/{HOST}/privkey.pem", str(key)),
        ("/srv/registration", str(ROOT)),
        ("/var/www/html", str(folder / "webroot")),
        ("/var/log/nginx", str(folder)),
    ]
    for old, new in replacements:
        assert old in text, f"the shipped nginx site no longer has {old!r}"
        text = text.replace(old, new)
    return text


@dataclass
class Proxy:
    http_port: int
    https_port: int
    cert: Path
    folder: Path

    def request(
        self,
        method: str,
        path: str,
        *,
        https: bool = True,
        headers: dict | None = None,
        body: bytes | None = None,
        source: str = "127.0.0.1",
    ) -> tuple[int, http.client.HTTPMessage, bytes]:
        """One request from the loopback address `source`, as a visitor's browser."""
        headers = {"Host": HOST, **(headers or {})}
        if https:
            context = ssl.create_default_context(cafile=str(self.cert))
            context.check_hostname = False
            connection = http.client.HTTPSConnection(
                "127.0.0.1",
                self.https_port,
                context=context,
                timeout=30,
                source_address=(source, 0),
            )
        else:
            connection = http.client.HTTPConnection(
                "127.0.0.1", self.http_port, timeout=30, source_address=(source, 0)
            )
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.headers, response.read()
        finally:
            connection.close()

    def access_log_line(self, needle: str, timeout: float = 10) -> str:
        """The access-log line holding `needle`; nginx logs a request only after answering it."""
        log = self.folder / "registration.access.log"
        deadline = time.monotonic() + timeout
        while True:
            text = log.read_text() if log.exists() else ""
            for line in text.splitlines():
                if needle in line:
                    return line
            if time.monotonic() > deadline:
                raise AssertionError(f"{needle!r} not in the access log: {text!r}")
            time.sleep(0.05)


@contextmanager
def nginx(upstream_port: int, folder: Path) -> Iterator[Proxy]:
    """nginx with the shipped site in front of `upstream_port`, on two free ports."""
    binary = nginx_binary()
    cert, key = self_signed_certificate(folder)
    (folder / "webroot").mkdir()
    http_port, https_port = free_port(), free_port()
    site = folder / "site.conf"
    site.write_text(
        adapted_site(
            http_port=http_port,
            https_port=https_port,
            upstream_port=upstream_port,
            folder=folder,
            cert=cert,
            key=key,
        ),
        encoding="utf-8",
    )
    temp = {name: folder / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    for path in temp.values():
        path.mkdir()
    # As root, nginx's workers would switch to "nobody", who may not read the project folder.
    user = "user root;\n" if os.geteuid() == 0 else ""
    main = folder / "nginx.conf"
    main.write_text(
        f"{user}worker_processes 1;\npid {folder}/nginx.pid;\nerror_log {folder}/error.log;\n"
        "events { worker_connections 256; }\n"
        "http {\n  include /etc/nginx/mime.types;\n  default_type application/octet-stream;\n"
        + "".join(f"  {name}_temp_path {path};\n" for name, path in temp.items()).replace(
            "body_temp_path", "client_body_temp_path"
        )
        + f"  include {site};\n}}\n",
        encoding="utf-8",
    )
    checked = subprocess.run(
        [binary, "-t", "-p", str(folder), "-c", str(main)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr
    process = subprocess.Popen(
        [binary, "-p", str(folder), "-c", str(main), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_until_answering(http_port, process, "nginx")
        yield Proxy(http_port, https_port, cert, folder)
    finally:
        stop_process(process, signal.SIGQUIT)
        if process.stderr:
            process.stderr.close()
