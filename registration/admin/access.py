"""Who may open the back office: every route needs a login, some need the admin role.

The check runs before every request to the blueprint, so a new screen is protected without
anyone remembering a decorator; only the login page is open. Sessions end after
PERMANENT_SESSION_LIFETIME counted from the login (not from the last click), and when the
account's password is reset.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any

from flask import abort, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from ..extensions import login_manager
from ..models import Organiser
from ..timeutil import now_utc
from . import bp

#: Endpoints anyone may open.
OPEN_ENDPOINTS = frozenset({"admin.login"})

_LOGIN_AT = "admin_login_at"
_PASSWORD_MARK = "admin_password_mark"  # noqa: S105 - a session key, not a password


def _password_mark(organiser: Organiser) -> str:
    """A short value that changes whenever the password does; the hash itself stays out."""
    key = current_app.config["SECRET_KEY"]
    key_bytes = key if isinstance(key, bytes) else key.encode()
    digest = hmac.new(key_bytes, organiser.password_hash.encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


def start_session(organiser: Organiser) -> None:
    """Log `organiser` in with a fresh session (nothing carried over from before)."""
    session.clear()
    login_user(organiser)
    session.permanent = True
    session[_LOGIN_AT] = now_utc().timestamp()
    session[_PASSWORD_MARK] = _password_mark(organiser)


def end_session() -> None:
    logout_user()
    session.clear()


def _session_is_stale(organiser: Organiser) -> bool:
    started = session.get(_LOGIN_AT)
    if not isinstance(started, int | float):
        return True
    lifetime = current_app.permanent_session_lifetime
    if now_utc() - datetime.fromtimestamp(started, now_utc().tzinfo) > lifetime:
        return True
    return not hmac.compare_digest(str(session.get(_PASSWORD_MARK, "")), _password_mark(organiser))


@bp.before_request
def require_login():
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if _session_is_stale(current_user):
        end_session()
        flash(_("Your session has ended. Please log in again."), "warning")
        return redirect(url_for("admin.login", next=request.full_path.rstrip("?")))
    return None


@bp.after_request
def private_pages(response):
    # Lists of people must not stay in a shared computer's cache or a proxy.
    response.headers["Cache-Control"] = "private, no-store"
    return response


def admin_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Only accounts with the admin role; other organisers get 403."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    wrapped.admin_only = True  # type: ignore[attr-defined]
    return wrapped


def current_organiser() -> Organiser:
    """The logged-in organiser as a plain model object (not the proxy)."""
    return current_user._get_current_object()  # type: ignore[attr-defined]
