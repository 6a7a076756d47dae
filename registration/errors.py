"""Friendly error pages in the visitor's language, including an expired form."""

from __future__ import annotations

from flask import Flask, render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

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
}


def render_error(code: int, title=None, text=None):
    default_title, default_text = MESSAGES.get(code, MESSAGES[500])
    return (
        render_template(
            "error.html", code=code, title=title or default_title, text=text or default_text
        ),
        code,
    )


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

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        app.logger.exception("Unhandled error")
        return render_error(500)
