"""The upcoming events for another site to show in a frame: light, no JavaScript.

`/iegult/notikumi?projekts=<slug>&veids=<kind>&vieta=<place>` lists what the main list
shows, filtered. Only the sites named in EMBED_ALLOWED_ORIGINS may frame it (CSP
`frame-ancestors`); every other page of the site refuses to be framed. Links open in a new
tab, out of the frame.
"""

from __future__ import annotations

from flask import abort, current_app, make_response, render_template, request

from ..i18n import current_language
from ..render_cache import app_cache
from ..services import events, policy, projects
from ..timeutil import group_by_riga_month
from . import bp
from .views import filters_from_query, public_version


def frame_policy() -> str:
    origins = " ".join(current_app.config["EMBED_ALLOWED_ORIGINS"]) or "'none'"
    return (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'none'; "
        f"frame-ancestors {origins}; form-action 'self'; base-uri 'none'"
    )


@bp.get("/iegult/notikumi")
def embedded_events():
    kind, place = filters_from_query()
    project = None
    if project_slug := request.args.get("projekts"):
        project = projects.public_project(project_slug)
        if project is None:
            abort(404)

    def render():
        upcoming = events.upcoming_events(
            kind=kind, place=place, project_id=project.id if project else None
        )
        html = render_template(
            "public/embed.html",
            months=group_by_riga_month(upcoming),
            project=project,
            state_of=policy.registration_state,
        )
        return html, events.next_state_change(upcoming)

    key = ("embed", current_language(), request.full_path)
    html = app_cache("upcoming").get_or_render(key, public_version, render)
    response = make_response(html)
    # No X-Frame-Options: it cannot name several sites; frame-ancestors replaces it.
    response.headers["Content-Security-Policy"] = frame_policy()
    return response
