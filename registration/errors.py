"""Friendly error pages in the visitor's language: an expired form, a database away for a
moment (503 with Retry-After), and unexpected errors with the request's id to quote."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy import exc as sa_exc
from werkzeug.exceptions import HTTPException

from .extensions import db
from .request_log import request_id

MESSAGES = {
    400: (_l("Something in the request was wrong"), _l("Please go back and try again.")),
    403: (_l("No access"), _l("You do not have permission to open this page.")),
    404: (
        _l("Page not found"),
        _l("The page may have been moved or the link may be incomplete."),
    ),
    405: (_l("Not allowed"), _l("This page cannot be used that way.")),
    413: (_l("Too much data"), _l("What was sent is larger than this site accepts.")),
    429: (_l("Too many attempts"), _l("Please wait a moment before trying again.")),
    500: (
        _l("Something went wrong on our side"),
        _l("The error has been logged. Please try again a little later."),
    ),
    503: (
        _l("The site is busy for a moment"),
        _l("Please try again in a minute."),
    ),
}

#: What the database driver raises when the server is down, restarting or out of
#: connections (and SQLite when the file is locked for too long): the site is away for a
#: moment, not broken.
DATABASE_UNAVAILABLE = (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.TimeoutError)

#: Seconds a visitor (or a client that reads Retry-After) should wait before trying again.
RETRY_AFTER_SECONDS = 30


def render_error(code: int, title=None, text=None, *, show_request_id: bool = False):
    default_title, default_text = MESSAGES.get(code, MESSAGES[500])
    return (
        render_template(
            "error.html",
            code=code,
            title=title or default_title,
            text=text or default_text,
            request_id=request_id() if show_request_id else None,
        ),
        code,
    )


def database_reason(error: Exception) -> str:
    """The driver's own first line (e.g. "connection refused"), without the SQL."""
    original = getattr(error, "orig", None) or error
    lines = str(original).strip().splitlines()
    return lines[0] if lines else type(original).__name__


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def form_expired(error: CSRFError):
        return render_error(
            400,
            _l("The form has expired"),
            _l(
                "For your safety, forms are valid for a limited time. Please go back, reload "
                "the page and send the form again."
            ),
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        body, code = render_error(error.code)
        # Headers the error carries stay with the page: Allow on a 405, Retry-After on a 429.
        headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
        return body, code, headers

    def database_unavailable(error: Exception):
        app.logger.warning(
            "database unavailable, answered 503 (request %s, %s %s): %s",
            request_id(),
            request.method,
            request.path,
            database_reason(error),
        )
        text = None
        if request.method == "POST":
            text = _l(
                "Your sign-up or change has not been saved. Please send the form again in a minute."
            )
        body, code = render_error(503, text=text, show_request_id=True)
        return body, code, {"Retry-After": str(RETRY_AFTER_SECONDS)}

    for error_class in DATABASE_UNAVAILABLE:
        app.register_error_handler(error_class, database_unavailable)

    # Runs before Flask-SQLAlchemy's own teardown (registered earlier, called later).
    @app.teardown_appcontext
    def end_session_even_if_the_database_is_gone(error: BaseException | None) -> None:
        """A request that read while the database went down still has a transaction open;
        ending it raises once the server is gone, after the response was made, and the
        visitor would get the server's bare error page instead. The connection is already
        thrown away by then: forget the session and log why."""
        try:
            db.session.remove()
        except DATABASE_UNAVAILABLE as lost:
            db.session.registry.clear()
            app.logger.warning(
                "database connection lost while ending a request: %s", database_reason(lost)
            )

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        app.logger.exception("Unhandled error (request %s)", request_id())
        # The page is made with a fresh transaction: the failed one (a broken rule) would
        # refuse every query, and the page's header reads the organisation's details.
        try:
            db.session.rollback()
        except DATABASE_UNAVAILABLE:
            db.session.registry.clear()
        return render_error(500, show_request_id=True)
