"""A read-only JSON API of published events and news posts, for other sites and apps.

GET /api/v1/events  upcoming events (filters: project=<slug>, kind=<kind>, place=<slug>)
GET /api/v1/posts   the latest public posts (filter: project=<slug>; limit=1..100, 20)

Every answer is `{"data": [...], "generated_at": ...}`; times are ISO 8601 with the Riga
offset. The fields are documented in README.md ("JSON API"). Nothing personal is in it:
no participant, no join link, no contact person. Answers carry an ETag and answer 304 to a
matching If-None-Match; any site may read them (CORS for GET), none may change anything.
"""

from __future__ import annotations

import hashlib
import json

from flask import Response, abort, request

from ..models import EventKind
from ..places import place_by_slug
from ..render_cache import app_cache
from ..services import events, policy, posts, projects
from ..services.markdown import render
from ..timeutil import iso_riga, now_utc
from ..urls import external_url
from . import bp
from .views import public_version

API_ENDPOINTS = frozenset({"public.api_events", "public.api_posts"})
MAX_POSTS = 100


def _project_filter():
    slug = request.args.get("project")
    if not slug:
        return None
    project = projects.public_project(slug)
    if project is None:
        abort(404)
    return project


def _project_json(project) -> dict | None:
    if project is None or not project.is_public:
        return None
    return {
        "slug": project.slug,
        "title": project.title,
        "code": project.code,
        "url": external_url("public.project_detail", slug=project.slug),
        "funding_line": project.funding_line,
    }


def event_json(event) -> dict:
    return {
        "id": event.id,
        "url": external_url("public.event_detail", slug=event.slug),
        "title": event.title,
        "kind": event.kind.value,
        "summary": event.summary,
        "starts_at": iso_riga(event.starts_at),
        "ends_at": iso_riga(event.ends_at),
        "status": event.status.value,
        "is_online": event.is_online,
        "venue_name": "" if event.is_online else event.venue_name,
        "venue_address": "" if event.is_online else event.venue_address,
        "place": event.place,
        "capacity": event.capacity,
        "seats_left": event.seats_left,
        "registration": policy.registration_state(event).value,
        "registration_closes_at": iso_riga(event.closes_at),
        "calendar_url": external_url("calendar.event_file", event_id=event.id),
        "project": _project_json(event.project),
    }


def post_json(post) -> dict:
    photo = None
    if post.photo is not None:
        photo = {
            "url": external_url("public.stored_file", name=post.photo.rendition_name(800)),
            "width": min(post.photo.width or 800, 800),
            "alt": post.photo_alt,
        }
    return {
        "id": post.id,
        "url": external_url("public.post_detail", slug=post.slug),
        "title": post.title,
        "lead": post.lead,
        "content_html": str(render(post.body)),
        "published_at": iso_riga(post.published_at),
        "updated_at": iso_riga(max(post.updated_at, post.published_at)),
        "photo": photo,
        "event_ids": [event.id for event in post.events if event.status in events.VISIBLE],
        "project": _project_json(post.project),
    }


def _answer(body: str) -> Response:
    etag = hashlib.sha256(body.encode("utf-8")).hexdigest()[:32]
    response = Response(body, mimetype="application/json")
    response.set_etag(etag)
    response.cache_control.public = True
    response.cache_control.max_age = 60
    return response.make_conditional(request)


def _document(data: list) -> str:
    return json.dumps(
        {"data": data, "generated_at": iso_riga(now_utc())}, ensure_ascii=False, sort_keys=True
    )


@bp.get("/api/v1/events")
def api_events():
    kind = place = None
    if kind_value := request.args.get("kind"):
        try:
            kind = EventKind(kind_value)
        except ValueError:
            abort(404)
    if place_slug := request.args.get("place"):
        place = place_by_slug(place_slug)
        if place is None:
            abort(404)
    project = _project_filter()

    def build():
        found = events.upcoming_events(kind, place, project.id if project else None)
        return _document([event_json(e) for e in found]), events.next_state_change(found)

    # Built once per data version and filter; "generated_at" says when.
    key = ("api-events", request.full_path)
    return _answer(app_cache("upcoming").get_or_render(key, public_version, build))


@bp.get("/api/v1/posts")
def api_posts():
    limit = request.args.get("limit", 20, type=int)
    if not 1 <= limit <= MAX_POSTS:
        abort(404)
    project = _project_filter()

    def build():
        found = posts.latest(limit, project_id=project.id if project else None)
        return _document([post_json(p) for p in found]), posts.next_scheduled()

    key = ("api-posts", request.full_path)
    return _answer(app_cache("upcoming").get_or_render(key, public_version, build))


@bp.after_request
def allow_reading_from_other_sites(response: Response) -> Response:
    """CORS for the API: anyone may GET (and ask whether their copy is current); the
    preflight a conditional request needs is answered too. No cookies are involved."""
    if request.endpoint in API_ENDPOINTS:
        headers = response.headers
        headers["Access-Control-Allow-Origin"] = "*"
        headers["Access-Control-Expose-Headers"] = "ETag"
        if request.method == "OPTIONS":
            headers["Access-Control-Allow-Methods"] = "GET"
            headers["Access-Control-Allow-Headers"] = "If-None-Match"
            headers["Access-Control-Max-Age"] = "86400"
    return response
