"""Things every response shares: security headers and template globals."""

from __future__ import annotations

from flask import Flask, Response, current_app
from werkzeug.middleware.proxy_fix import ProxyFix

from . import labels
from .places import slugify
from .services import markdown, organisation
from .timeutil import iso_riga
from .urls import external_url


def security_headers(response: Response) -> Response:
    headers = response.headers
    # No page loads anything from another site: no CDN, no fonts, no trackers. A response
    # with a policy of its own (a served file, the embeddable list) decides its framing.
    if "Content-Security-Policy" not in headers:
        headers["Content-Security-Policy"] = (
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
        )
        headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    return response


def init_app(app: Flask) -> None:
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
