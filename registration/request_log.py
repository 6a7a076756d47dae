"""One log line per request, with an id that ties it to what the visitor saw.

Every response carries the id in `X-Request-Id`, and the error pages show it, so a resident
who phones about "error code 7f3a9c02e1b4" can be found in the log
(`journalctl -u registration-web | grep 7f3a9c02e1b4`). The line reads

    7f3a9c02e1b4 203.0.113.5 "POST /notikumi/domnica-koknese" 303 41ms

Private tokens in a path (manage links) are written as `…`, so the log opens nothing. The
address is the visitor's once PROXY_FIX_X_FOR says how many proxies to trust.
"""

from __future__ import annotations

import logging
import secrets
import time

from flask import Flask, Response, g, has_request_context, request

logger = logging.getLogger("registration.access")

#: URL variables that hold a secret; their value never reaches the log.
SECRET_URL_VARIABLES = frozenset({"token"})


def request_id() -> str:
    """The current request's id (made on first use), or "-" outside a request."""
    if not has_request_context():
        return "-"
    if "request_id" not in g:
        g.request_id = secrets.token_hex(6)
    return g.request_id


def loggable_path() -> str:
    path = request.path
    for name, value in (request.view_args or {}).items():
        if name in SECRET_URL_VARIABLES and isinstance(value, str) and value:
            path = path.replace(value, "…")
    return path


def _start() -> None:
    g.request_started = time.perf_counter()
    request_id()


def _finish(response: Response) -> Response:
    response.headers["X-Request-Id"] = request_id()
    started = g.get("request_started")
    took = f"{(time.perf_counter() - started) * 1000:.0f}ms" if started else "-"
    logger.info(
        '%s %s "%s %s" %s %s',
        request_id(),
        request.remote_addr or "-",
        request.method,
        loggable_path(),
        response.status_code,
        took,
    )
    return response


def init_app(app: Flask) -> None:
    # The package's loggers ("registration.*") write through the app's logger, to which
    # Flask gives a handler to stderr (the journal under systemd). LOG_LEVEL INFO keeps a
    # line per request; WARNING keeps only problems.
    app.config.setdefault("LOG_LEVEL", "INFO")
    app.logger.setLevel(app.config["LOG_LEVEL"])
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    # Called last of all (Flask calls these in reverse), so it logs the final status.
    app.after_request_funcs.setdefault(None, []).insert(0, _finish)
