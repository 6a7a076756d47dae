"""Calendar downloads: one event's file and the subscribable feeds.

(A participant's own file is served from their manage page, `public.manage_calendar`, with
`ics.personal_calendar`.)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime

import sqlalchemy as sa
from flask import Response, abort, current_app, request
from werkzeug.http import is_resource_modified

from ..extensions import db
from ..i18n import current_language
from ..models import Event, EventKind, EventStatus, Project
from ..places import place_by_slug, slugify
from ..services import organisation
from . import bp, ics
from .feeds import FeedFilter, feed_events, feed_version, version_tag


@bp.get("/kalendars/notikums/<id:event_id>.ics")
def event_file(event_id: int):
    """The public .ics of one event (published or cancelled; drafts are not found)."""
    event = db.session.get(Event, event_id)
    if event is None or event.status is EventStatus.DRAFT:
        abort(404)
    language = _language()
    etag = version_tag("event", event.id, event.sequence, event.updated_at, language, *_settings())
    return _calendar_response(
        lambda: ics.event_calendar(event, language=language),
        etag=etag,
        last_modified=event.updated_at,
        filename=f"{_safe_filename(event.slug)}.ics",
        attachment=True,
    )


@bp.get("/kalendars/visi.ics")
def all_events_feed():
    return _feed(FeedFilter(), "notikumi")


@bp.get("/kalendars/veids/<kind>.ics")
def kind_feed(kind: str):
    try:
        event_kind = EventKind(kind)
    except ValueError:
        abort(404)
    return _feed(FeedFilter(kind=event_kind), f"notikumi-{event_kind.value.replace('_', '-')}")


@bp.get("/kalendars/vieta/<place_slug>.ics")
def place_feed(place_slug: str):
    place = place_by_slug(place_slug)
    if place is None:
        abort(404)
    return _feed(FeedFilter(place=place), f"notikumi-{slugify(place)}")


def _feed(feed: FeedFilter, filename: str) -> Response:
    language = _language()
    version = feed_version(feed, language, *_settings())

    def build() -> bytes:
        name = ics.feed_name(feed.kind, feed.place, language=language)
        return ics.feed_calendar(feed_events(feed), name, language=language)

    return _calendar_response(
        build,
        etag=version.etag,
        last_modified=version.last_modified,
        filename=f"{filename}.ics",
        attachment=False,
    )


def _calendar_response(
    build: Callable[[], bytes],
    *,
    etag: str,
    last_modified: datetime | None,
    filename: str,
    attachment: bool,
) -> Response:
    """Serve a calendar, or 304 when the client's copy is current (the file is not built)."""
    if is_resource_modified(request.environ, etag=etag, last_modified=last_modified):
        response = Response(build(), mimetype="text/calendar")
    else:
        response = Response(status=304)
    response.set_etag(etag)
    if last_modified is not None:
        response.last_modified = last_modified
    disposition = "attachment" if attachment else "inline"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    # Clients may keep a copy but must ask again each time; the answer is usually a cheap 304.
    response.cache_control.no_cache = True
    response.vary.add("Cookie")
    return response


def _requested_language() -> str | None:
    """`?lang=en` picks the file's language (feed links carry it); anything else is ignored."""
    language = request.args.get("lang")
    return language if language in current_app.config["LANGUAGES"] else None


def _language() -> str:
    return _requested_language() or current_language()


def _settings() -> tuple:
    """What appears inside the files besides the events, so changing it changes the ETag:
    the address, the organisation's name, and the projects' funding lines and logos."""
    projects_changed = db.session.scalar(sa.select(sa.func.max(Project.updated_at)))
    return current_app.config["PUBLIC_BASE_URL"], organisation.version(), projects_changed


def _safe_filename(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.") or "notikums"
