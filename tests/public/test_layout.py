"""What every public page promises: light, self-contained, accessible basics."""

from __future__ import annotations

import re

import pytest

from registration.models import EventStatus


@pytest.fixture
def demo(runner):
    runner.invoke(args=["seed-demo"])


def test_home_lists_the_demo_programme(client, demo):
    page = client.get("/").get_data(as_text=True)
    assert "NVO domnīca Aizkrauklē" in page
    assert "Pieredzes apmaiņas brauciens uz Sēliju" in page
    # The think tank held already is in the archive; the latest news under the events.
    assert "NVO domnīca Mazzalvē" not in page
    assert "NVO domnīca Mazzalvē" in client.get("/arhivs").get_data(as_text=True)
    assert page.count('class="post-card"') == 3


def test_pages_load_nothing_from_other_sites(client, demo):
    page = client.get("/").get_data(as_text=True)
    external = re.findall(r'(?:src|href)="(https?:)?//', page)
    assert external == []
    response = client.get("/")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_skip_link_and_language_switch(client):
    page = client.get("/").get_data(as_text=True)
    assert 'href="#content"' in page
    assert 'id="content"' in page
    assert 'hreflang="en"' in page


@pytest.mark.parametrize(
    "target", ["/x%0ay", "/x%0d%0aSet-Cookie:%20a=b", "/%00", "//evil.example"]
)
def test_the_language_switch_goes_home_from_a_bad_next(client, target):
    response = client.get(f"/valoda/en?next={target}")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "a=b" not in response.headers.get("Set-Cookie", "")


def test_draft_events_are_not_found(client, make_event):
    draft = make_event(status=EventStatus.DRAFT, title="Slepens melnraksts")
    assert client.get(f"/notikumi/{draft.slug}").status_code == 404
    assert "Slepens melnraksts" not in client.get("/").get_data(as_text=True)


def test_unknown_page_is_a_friendly_latvian_404(client):
    response = client.get("/nav-tadas-lapas")
    assert response.status_code == 404
    assert "Lapa nav atrasta" in response.get_data(as_text=True)
