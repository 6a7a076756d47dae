"""Things every response shares: security headers, the session cookie and template globals."""

from __future__ import annotations

from flask import Flask, Request, Response, current_app
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface, SessionMixin
from werkzeug.middleware.proxy_fix import ProxyFix

from . import labels
from .places import slugify
from .services import markdown, organisation
from .timeutil import iso_riga
from .urls import external_url

#: No page loads anything from another site: no CDN, no fonts, no trackers.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
)


def security_headers(response: Response) -> Response:
    """The headers every response carries, unless it set its own: a response with a policy
    of its own (a served file, the embeddable list) decides its framing. The names present
    are read once, and the missing headers added together."""
    headers = response.headers
    present = {name.lower() for name, _ in headers.items()}
    missing = []
    if "content-security-policy" not in present:
        missing.append(("Content-Security-Policy", CONTENT_SECURITY_POLICY))
        if "x-frame-options" not in present:
            missing.append(("X-Frame-Options", "DENY"))
    if "x-content-type-options" not in present:
        missing.append(("X-Content-Type-Options", "nosniff"))
    if "referrer-policy" not in present:
        missing.append(("Referrer-Policy", "strict-origin-when-cross-origin"))
    headers.extend(missing)
    return response


class CookieSession(SecureCookieSessionInterface):
    """Flask's signed-cookie session, without its work for a visitor who has no cookie and
    gets none: most page reads (a rush lands without cookies) need neither a signer nor the
    cookie's settings. What is sent is Flask's to the byte."""

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if app.secret_key and not request.cookies.get(self.get_cookie_name(app)):
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        if not session and not session.modified:
            # Nothing to set or delete; a page that looked into the session still varies by it.
            if session.accessed:
                response.vary.add("Cookie")
            return
        super().save_session(app, session, response)


def init_app(app: Flask) -> None:
    app.session_interface = CookieSession()
    # Behind a reverse proxy, trust its X-Forwarded-* headers (for how many hops the config
    # says), so that rate limits see the visitor's address and HTTPS is recognised.
    if hops := app.config["PROXY_FIX_X_FOR"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    # Lighter pages for slow rural connections: no blank lines left behind by template tags.
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.after_request(security_headers)

    app.add_template_global(labels.kind_label)
    app.add_template_global(labels.status_label)
    app.add_template_global(labels.KIND_PLURALS, "kind_plurals")
    app.add_template_global(slugify)
    app.add_template_global(external_url)
    app.add_template_global(logo_height)
    app.add_template_filter(markdown.render, "markdown")
    app.add_template_filter(markdown.plain, "plaintext")
    app.add_template_filter(iso_riga)

    @app.context_processor
    def site_context() -> dict:
        details = organisation.details()
        return {
            "organisation": details,
            "organisation_name": details.name,
            "languages": current_app.config["LANGUAGES"],
        }


def logo_height(stored, width: int) -> int | None:
    """The height of a picture shown `width` pixels wide (or narrower when it is)."""
    if not stored.width or not stored.height:
        return stored.height
    return stored.height if stored.width <= width else round(stored.height * width / stored.width)


def no_referrer(response: Response) -> Response:
    """Pages whose URL holds a private token must not leak it to other sites."""
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "private, no-store"
    return response
