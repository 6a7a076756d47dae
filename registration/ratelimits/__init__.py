"""Rate limits: who is counted (a client address, its network), where (the shared store), and
what a visitor sees when a limit is reached (a friendly 429 page with `Retry-After`).

Routes are limited with Flask-Limiter (`extensions.limiter`). Its store is
`RATELIMIT_STORAGE_URI`: by default `database://`, the app's own database (`storage.py`),
which every worker and app server of an install shares; `redis://…` or `memcached://…` use
Flask-Limiter's own storages for large installs. Counts that belong to one use case (sign-ups
per event and per email address, uses of one form, mail to one address) are kept in the same
table inside that use case's transaction (`counters.py`, `services/signup_guard.py`).

Client addresses are what the WSGI server reports, or behind a proxy what PROXY_FIX_X_FOR
trusts. A network is the address's /24 (IPv4) or /64 (IPv6): a household or a small office
usually has one address, a mobile operator hands out many from one network.
"""

from __future__ import annotations

import ipaddress
import logging
import math
from urllib.parse import urlsplit

from flask import Flask, current_app, request
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_limiter.errors import RateLimitExceeded

from ..errors import render_error
from ..extensions import db, limiter
from ..timeutil import now_utc
from . import counters, hooks
from .storage import SCHEME, DatabaseStorage

__all__ = ["DatabaseStorage", "client_address", "client_network", "counters", "network_hash"]

logger = logging.getLogger(__name__)

#: Networks grouped for the per-network limit and the organisers' burst flag.
IPV4_PREFIX = 24
IPV6_PREFIX = 64


def client_address() -> str:
    """The visitor's address, as the server (or the trusted proxy) reports it."""
    return request.remote_addr or "unknown"


def client_network(address: str | None = None) -> str:
    """The /24 or /64 the address belongs to ('203.0.113.7' -> '203.0.113.0/24')."""
    address = address or client_address()
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    prefix = IPV4_PREFIX if ip.version == 4 else IPV6_PREFIX
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def network_hash(network: str | None = None) -> str:
    """A keyed hash of the client's network: enough to see many sign-ups from one network,
    never the address itself (kept with a registration for a limited time)."""
    return counters.digest(
        current_app.config["SECRET_KEY"], "network:" + (network or client_network())
    )[:16]


def wait_text(seconds: float) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext("%(num)d minute", "%(num)d minutes", minutes)


def too_many_requests(retry_after: float, what: str) -> tuple[str, int, dict[str, str]]:
    """The 429 page in the visitor's language, with `Retry-After`; logged without personal
    data (`what` names the limit)."""
    seconds = max(1, math.ceil(retry_after))
    logger.warning(
        "limit reached (%s) at %s; answered 429, retry after %d s", what, request.endpoint, seconds
    )
    body, status = render_error(
        429,
        _("Too many attempts"),
        _(
            "To keep the site safe from automated sign-ups, only a few attempts are accepted in "
            "a short time. Nothing you sent was saved. Please try again in %(wait)s.",
            wait=wait_text(seconds),
        ),
    )
    return body, status, {"Retry-After": str(seconds)}


def _limit_exceeded(error: RateLimitExceeded):
    current = limiter.current_limit
    now = now_utc().timestamp()
    reset_at = current.window.reset_time if current is not None else now + 60
    return too_many_requests(reset_at - now, str(error.limit.limit))


def _check_settings(app: Flask) -> None:
    uri = app.config.get("RATELIMIT_STORAGE_URI") or "memory://"
    scheme = urlsplit(uri).scheme
    if scheme == SCHEME:
        options = dict(app.config.get("RATELIMIT_STORAGE_OPTIONS") or {})
        options.setdefault("engine", lambda: db.engine)
        options.setdefault("secret", app.config["SECRET_KEY"])
        app.config["RATELIMIT_STORAGE_OPTIONS"] = options
    elif scheme == "memory" and not (app.testing or app.debug):
        app.logger.warning(
            "RATELIMIT_STORAGE_URI is %s: each worker process counts on its own, so with "
            "several workers every limit lets through several times as much. Use "
            "database:// (the default) or a shared store such as redis://.",
            uri,
        )


def init_app(app: Flask) -> None:
    _check_settings(app)
    limiter.init_app(app)
    hooks.install(app)
    app.register_error_handler(RateLimitExceeded, _limit_exceeded)
