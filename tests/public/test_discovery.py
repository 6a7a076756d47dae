"""Feeds and discovery: Atom read by an independent parser, the sitemap as XML, and the
embeddable list framed only where the configuration allows."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree as ET

import feedparser
import pytest

from registration.models import EventKind, EventStatus, ProjectStatus
from registration.services import posts, unit_of_work, uploads
from registration.timeutil import frozen_time

from .. import sample_files as files

NOW = datetime(2030, 5, 10, 9, 0, tzinfo=UTC)


def test_the_atom_feed_parses_and_carries_each_post(client, make_post, make_project):
    project = make_project()
    with unit_of_work():
        photo = uploads.store(
            uploads.Upload("a.jpg", io.BytesIO(files.a_picture())), uploads.Purpose.PHOTO
        )
    older = make_post(title="Domnīca Secē", published_at=datetime(2030, 5, 1, 9, 0, tzinfo=UTC))
    newer = make_post(
        title="Aicinām uz braucienu",
        lead="Autobuss no Aizkraukles.",
        body="## Programma\n\n**Jaunolaine** un Mežinieki.",
        published_at=datetime(2030, 5, 8, 6, 30, tzinfo=UTC),
        project=project,
        photo=photo,
        photo_alt="Autobuss",
    )
    with frozen_time(NOW):
        response = client.get("/jaunumi.atom")
    assert response.headers["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.data)
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.title.endswith(": jaunumi")
    assert feed.feed.link == "http://localhost/jaunumi"
    assert [e.title for e in feed.entries] == ["Aicinām uz braucienu", "Domnīca Secē"]
    entry = feed.entries[0]
    assert entry.id == entry.link == f"http://localhost/jaunumi/{newer.slug}"
    assert entry.published == "2030-05-08T09:30:00+03:00"
    assert entry.summary == "Autobuss no Aizkraukles."
    assert "<strong>Jaunolaine</strong>" in entry.content[0].value
    assert any(link.rel == "enclosure" for link in entry.links)
    assert older.slug in feed.entries[1].link
    # Each project has its own feed, offered in its page's head.
    with frozen_time(NOW):
        own = feedparser.parse(client.get(f"/projekti/{project.slug}/jaunumi.atom").data)
        page = client.get(f"/projekti/{project.slug}").get_data(as_text=True)
    assert [e.title for e in own.entries] == ["Aicinām uz braucienu"]
    assert f'href="/projekti/{project.slug}/jaunumi.atom"' in page


def test_the_feed_answers_304_when_nothing_changed(client, make_post):
    make_post()
    with frozen_time(NOW):
        first = client.get("/jaunumi.atom")
        again = client.get("/jaunumi.atom", headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304 and not again.data
        make_post(title="Vēl viens")
        changed = client.get("/jaunumi.atom", headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200


def test_the_sitemap_lists_public_events_posts_and_projects(
    client, make_post, make_project, make_event
):
    project = make_project()
    draft_project = make_project(status=ProjectStatus.DRAFT)
    event = make_event(starts_at=datetime(2030, 6, 1, 7, 0, tzinfo=UTC))
    draft_event = make_event(status=EventStatus.DRAFT)
    post = make_post()
    with frozen_time(NOW):
        response = client.get("/sitemap.xml")
    root = ET.fromstring(response.data)
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = {loc.text for loc in root.findall("s:url/s:loc", namespace)}
    assert {
        "http://localhost/",
        "http://localhost/jaunumi",
        f"http://localhost/projekti/{project.slug}",
        f"http://localhost/notikumi/{event.slug}",
        f"http://localhost/jaunumi/{post.slug}",
    } <= locations
    assert f"http://localhost/projekti/{draft_project.slug}" not in locations
    assert f"http://localhost/notikumi/{draft_event.slug}" not in locations
    assert root.find("s:url/s:lastmod", namespace) is not None
    assert "Sitemap: http://localhost/sitemap.xml" in client.get("/robots.txt").get_data(
        as_text=True
    )


class TestEmbedding:
    @pytest.fixture
    def app_config(self):
        return {
            "EMBED_ALLOWED_ORIGINS": ("https://partneriba.example", "https://www.novads.example")
        }

    def test_only_the_configured_sites_may_frame_the_list(self, client, make_event, make_project):
        project = make_project()
        make_event(title="Domnīca Iršos", project=project, starts_at=NOW + timedelta(days=20))
        make_event(title="Cits pasākums", starts_at=NOW + timedelta(days=21))
        with frozen_time(NOW):
            response = client.get(f"/iegult/notikumi?projekts={project.slug}")
            home = client.get("/")
        policy = response.headers["Content-Security-Policy"]
        assert "frame-ancestors https://partneriba.example https://www.novads.example;" in policy
        assert "script-src 'none'" in policy
        assert "X-Frame-Options" not in response.headers
        page = response.get_data(as_text=True)
        assert "Domnīca Iršos" in page and "Cits pasākums" not in page
        assert "<script" not in page
        assert '<base target="_blank">' in page
        # Every other page still refuses to be framed.
        assert "frame-ancestors 'none'" in home.headers["Content-Security-Policy"]
        assert home.headers["X-Frame-Options"] == "DENY"

    def test_filters_by_kind_and_place(self, client, make_event):
        make_event(title="Seminārs", kind=EventKind.SEMINAR, starts_at=NOW + timedelta(days=3))
        make_event(title="Domnīca", place="Iršu pagasts", starts_at=NOW + timedelta(days=4))
        with frozen_time(NOW):
            seminars = client.get("/iegult/notikumi?veids=seminar").get_data(as_text=True)
            irsi = client.get("/iegult/notikumi?vieta=irsu-pagasts").get_data(as_text=True)
            assert client.get("/iegult/notikumi?veids=koncerts").status_code == 404
            assert client.get("/iegult/notikumi?projekts=nav").status_code == 404
        assert "Seminārs" in seminars and "Domnīca" not in seminars
        assert "Domnīca" in irsi and "Seminārs" not in irsi


def test_without_configured_sites_nobody_may_frame_the_list(client):
    assert (
        "frame-ancestors 'none'"
        in client.get("/iegult/notikumi").headers["Content-Security-Policy"]
    )


def test_posts_version_changes_when_a_scheduled_post_comes_due(app, make_post):
    make_post(published_at=datetime(2030, 5, 11, 6, 0, tzinfo=UTC))
    with frozen_time(NOW):
        before = posts.version()
        assert posts.next_scheduled() == datetime(2030, 5, 11, 6, 0, tzinfo=UTC)
    with frozen_time(datetime(2030, 5, 11, 6, 0, tzinfo=UTC)):
        assert posts.version() != before
