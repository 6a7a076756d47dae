"""Public pages."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, current_app, make_response, redirect, render_template, request, url_for

from ..i18n import LANGUAGE_COOKIE
from ..services import events, tokens
from ..web import no_referrer
from . import bp


@bp.get("/")
def index():
    return render_template("public/index.html", events=events.upcoming_events())


@bp.get("/notikumi/<slug>")
def event_detail(slug: str):
    event = events.public_event(slug)
    if event is None:
        abort(404)
    return render_template("public/event.html", event=event)


@bp.get("/valoda/<code>")
def set_language(code: str):
    """Remember the chosen language for a year and go back where the visitor was."""
    if code not in current_app.config["LANGUAGES"]:
        abort(404)
    target = request.args.get("next", "")
    parts = urlsplit(target)
    # Only paths on this site, never another host (no open redirect).
    if not target.startswith("/") or target.startswith("//") or parts.netloc or parts.scheme:
        target = url_for("public.index")
    response = redirect(target)
    response.set_cookie(
        LANGUAGE_COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True
    )
    return response


@bp.get("/privatums")
def privacy():
    return render_template("public/privacy.html")


@bp.get("/pieteikums/<token>")
def manage(token: str):
    """The person's private page for their registration."""
    registration = tokens.find_by_token(token)
    if registration is None:
        abort(404)
    return no_referrer(
        make_response(render_template("public/manage.html", registration=registration, token=token))
    )
