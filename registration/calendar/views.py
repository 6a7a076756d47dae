"""Calendar downloads: one event's file and the subscribable feeds.

(A participant's own file is served from their manage page, `public.manage_calendar`, with
`ics.personal_calendar`.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import Response, abort, current_app, request
from werkzeug.http import is_resource_modified

from ..extensions import db
from ..i18n import current_language
from ..models import Event, EventKind, EventStatus, Project
from ..places import place_by_slug, slugify
from ..render_cache import app_cache
from ..services import organisation
from . import bp, ics
from .feeds import FeedFilter, calendar_version, feed_contents, version_tag


@dataclass(frozen=True)
class CalendarFile:
    """A built file with what a conditional request is answered from."""

    body: bytes
    etag: str
    last_modified: datetime | None


@bp.get("/kalendars/notikums/<id:event_id>.ics")
def event_file(event_id: int):
    """The public .ics of one event (published or cancelled; drafts are not found)."""
    language = _language()

    def build():
        event = db.session.get(Event, event_id)
        if event is None or event.status is EventStatus.DRAFT:
            return None, None
        etag = version_tag(
            "event", event.id, event.sequence, event.calendar_changed_at, language, *_settings()
        )
        body = ics.event_calendar(event, language=language)
        return (event.slug, CalendarFile(body, etag, event.calendar_changed_at)), None

    found = app_cache("calendar_events", max_entries=2048).get_or_render(
        (event_id, language), calendar_version, build
    )
    if found is None:
        abort(404)
    slug, served = found
    return _calendar_response(served, filename=f"{_safe_filename(slug)}.ics", attachment=True)


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
    """A feed, rebuilt only when a calendar change (not a seat taken) makes it out of date."""
    language = _language()

    def build():
        contents = feed_contents(feed, language, *_settings())
        name = ics.feed_name(feed.kind, feed.place, language=language)
        body = ics.feed_calendar(contents.events, name, language=language)
        return CalendarFile(body, contents.etag, contents.last_modified), contents.next_change

    served = app_cache("calendar_feeds").get_or_render((feed, language), calendar_version, build)
    return _calendar_response(served, filename=f"{filename}.ics", attachment=False)


def _calendar_response(served: CalendarFile, *, filename: str, attachment: bool) -> Response:
    """Serve a calendar, or 304 when the client's copy is current."""
    etag, last_modified = served.etag, served.last_modified
    if is_resource_modified(request.environ, etag=etag, last_modified=last_modified):
        response = Response(served.body, mimetype="text/calendar")
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
