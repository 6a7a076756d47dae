"""Feeds and discovery: Atom feeds of news (all, and per project), sitemap.xml, robots.txt."""

from __future__ import annotations

from flask import Response, abort, request
from flask_babel import gettext as _
from werkzeug.http import is_resource_modified

from ..i18n import current_language
from ..services import organisation, posts, projects, sitemap
from ..urls import external_url
from . import atom, bp, xml_writers

FEED_SIZE = 30


def _conditional(build, etag: str, last_modified, mimetype: str) -> Response:
    """The document, or 304 when the client's copy is current (then it is not built)."""
    if is_resource_modified(request.environ, etag=etag, last_modified=last_modified):
        response = Response(build(), mimetype=mimetype)
    else:
        response = Response(status=304)
    response.set_etag(etag)
    if last_modified is not None:
        response.last_modified = last_modified
    response.cache_control.public = True
    response.cache_control.max_age = 300
    response.vary.add("Cookie")
    return response


def _feed(project=None) -> Response:
    version = posts.feed_version(project_id=project.id if project else None)
    language = current_language()
    details = organisation.details()
    if project is None:
        title = _("%(organisation)s: news", organisation=details.name)
        feed_url = external_url("public.news_feed")
        page_url = external_url("public.news")
    else:
        title = _("%(project)s: news", project=project.title)
        feed_url = external_url("public.project_feed", slug=project.slug)
        page_url = external_url("public.project_detail", slug=project.slug)

    def build() -> bytes:
        found = posts.latest(FEED_SIZE, project_id=project.id if project else None)
        return atom.feed(
            title=title,
            feed_url=feed_url,
            page_url=page_url,
            author=details.name,
            language=language,
            posts=found,
            post_url=lambda post: external_url("public.post_detail", slug=post.slug),
            picture_url=lambda name: external_url("public.stored_file", name=name),
        )

    etag = posts.version_tag(version, language, details.saved_at, feed_url)
    return _conditional(build, etag, version.last_modified, "application/atom+xml")


@bp.get("/jaunumi.atom")
def news_feed():
    return _feed()


@bp.get("/projekti/<slug>/jaunumi.atom")
def project_feed(slug: str):
    project = projects.public_project(slug)
    if project is None:
        abort(404)
    return _feed(project)


@bp.get("/sitemap.xml")
def sitemap_xml():
    version = sitemap.version()
    return _conditional(
        lambda: xml_writers.sitemap(sitemap.entries(), external_url),
        posts.version_tag(version, "sitemap"),
        None,
        "application/xml",
    )


@bp.get("/robots.txt")
def robots_txt():
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /pieteikums/",
        f"Sitemap: {external_url('public.sitemap_xml')}",
    ]
    response = Response("\n".join(lines) + "\n", mimetype="text/plain")
    response.cache_control.max_age = 3600
    return response
