"""A real nginx with the shipped site in front of gunicorn with the shipped settings: HTTPS
and HSTS, static files from nginx, the visitor's own address and scheme reaching the app, and
a body over the limit stopped at the proxy."""

from __future__ import annotations

import gzip
import re
from urllib.parse import urlencode

import pytest

from .servers import HOST, ROOT, app_env, nginx, once_per_suite, production_server

pytestmark = once_per_suite

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@pytest.fixture(scope="module")
def site(module_install, tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("proxy")
    env = app_env(
        module_install.instance,
        SQLALCHEMY_DATABASE_URI=module_install.database_uri,
        SECRET_KEY=module_install.secret_key,
        PUBLIC_BASE_URL=f"https://{HOST}",
        PROXY_FIX_X_FOR=1,
        ADMIN_LOGIN_RATE_LIMIT="3 per minute",
        SCHEDULER_ENABLED="false",
    )
    # One worker: login attempts are counted in the process's memory.
    with production_server(env, tmp_path / "gunicorn.log", workers=1) as server:
        folder = tmp_path / "nginx"
        folder.mkdir()
        with nginx(server.port, folder) as proxy:
            yield proxy, server


def test_plain_http_goes_to_https_except_for_certbot(site):
    proxy, _ = site
    status, headers, _ = proxy.request("GET", "/notikumi?x=1", https=False)
    assert status == 301
    assert headers["Location"] == f"https://{HOST}/notikumi?x=1"

    challenge = proxy.folder / "webroot" / ".well-known" / "acme-challenge"
    challenge.mkdir(parents=True)
    (challenge / "token123").write_text("proof")
    status, _, body = proxy.request("GET", "/.well-known/acme-challenge/token123", https=False)
    assert (status, body) == (200, b"proof")


def test_pages_come_over_https_with_hsts_gzipped_and_with_a_request_id(site):
    proxy, server = site
    status, headers, body = proxy.request("GET", "/", headers={"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000"
    assert headers["Content-Encoding"] == "gzip"
    assert '<html lang="lv">' in gzip.decompress(body).decode()
    request_id = headers["X-Request-Id"]
    assert request_id in server.log()
    assert proxy.access_log_line(f"id={request_id}")


def test_static_files_come_from_nginx_cached_for_good(site):
    proxy, server = site
    _, _, page = proxy.request("GET", "/")
    [href] = re.findall(r'href="(/static/style\.[0-9a-f]{10}\.css)"', page.decode())
    status, headers, body = proxy.request("GET", href)
    assert status == 200
    assert body == (ROOT / "static" / "style.css").read_bytes()
    assert headers["Cache-Control"] == "max-age=315360000"
    assert "X-Request-Id" not in headers  # the app never saw it
    assert href not in server.log()
    assert headers["Strict-Transport-Security"] == "max-age=31536000"


def test_the_app_sees_each_visitors_own_address(site):
    # Visitors from two addresses; the limit of three login attempts a minute is per address.
    proxy, server = site

    def attempt(source: str, n: int) -> int:
        status, headers, page = proxy.request("GET", "/admin/login", source=source)
        cookie = headers["Set-Cookie"].split(";", 1)[0]
        form = {
            "csrf_token": CSRF.search(page.decode()).group(1),
            "email": f"nav{n}@example.lv",
            "password": "nepareiza parole",
        }
        status, _, _ = proxy.request(
            "POST",
            "/admin/login",
            body=urlencode(form).encode(),
            source=source,
            headers={
                "Cookie": cookie,
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"https://{HOST}/admin/login",
            },
        )
        return status

    # A wrong password shows the form again (422), three times; the fourth is refused.
    assert [attempt("127.0.0.2", n) for n in range(4)] == [422, 422, 422, 429]
    assert attempt("127.0.0.3", 9) == 422
    assert '127.0.0.2 "POST /admin/login" 429' in server.log()
    assert '127.0.0.3 "POST /admin/login" 422' in server.log()


def test_the_app_knows_the_visitor_came_over_https(site):
    # Over HTTPS, a form must come from a page of the same site (the Referer is checked):
    # the app applies that check only because the proxy told it the scheme.
    proxy, _ = site
    _, headers, page = proxy.request("GET", "/admin/login")
    form = {"csrf_token": CSRF.search(page.decode()).group(1), "email": "a@b.lv", "password": "x"}
    common = {
        "Cookie": headers["Set-Cookie"].split(";", 1)[0],
        "Content-Type": "application/x-www-form-urlencoded",
    }
    body = urlencode(form).encode()
    status, _, _ = proxy.request(
        "POST", "/admin/login", body=body, headers={**common, "Referer": "https://cits.example/"}
    )
    assert status == 400
    status, _, _ = proxy.request(
        "POST", "/admin/login", body=body, headers={**common, "Referer": f"https://{HOST}/"}
    )
    assert status == 422  # accepted, and the wrong password shown again


def test_a_body_over_the_limit_is_refused_by_the_proxy(site):
    proxy, server = site
    status, headers, body = proxy.request(
        "POST",
        "/notikumi/jebkas",
        body=b"x" * (1024 * 1024 + 1),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == 413
    assert b"nginx" in body
    assert "X-Request-Id" not in headers
    assert "/notikumi/jebkas" not in server.log()
