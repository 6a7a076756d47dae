"""News posts: newest first, scheduled ones nowhere before their time, each with live boxes
of its events."""

from __future__ import annotations

from datetime import UTC, datetime

from registration.models import PostStatus
from registration.timeutil import frozen_time

#: 10 May 2030, 12:00 in Riga.
NOON = datetime(2030, 5, 10, 9, 0, tzinfo=UTC)
TOMORROW_9 = datetime(2030, 5, 11, 6, 0, tzinfo=UTC)


def test_scheduled_posts_are_hidden_until_their_time(client, make_post):
    make_post(
        title="Jau publicēts", slug="jau", published_at=datetime(2030, 5, 10, 7, 0, tzinfo=UTC)
    )
    make_post(title="Ieplānots rītam", slug="rit", published_at=TOMORROW_9)
    make_post(title="Melnraksts", slug="melnraksts", status=PostStatus.DRAFT, published_at=None)
    make_post(title="Noņemts", slug="nonemts", status=PostStatus.UNPUBLISHED)
    places = ["/", "/jaunumi", "/jaunumi.atom", "/sitemap.xml", "/api/v1/posts"]
    with frozen_time(NOON):
        for url in places:
            page = client.get(url).get_data(as_text=True)
            assert "Jau publicēts" in page or "/jaunumi/jau" in page, url
            assert "Ieplānots" not in page and "/jaunumi/rit" not in page, url
            assert "Melnraksts" not in page and "Noņemts" not in page, url
        assert client.get("/jaunumi/rit").status_code == 404
        assert client.get("/jaunumi/melnraksts").status_code == 404
        assert client.get("/jaunumi/nonemts").status_code == 404
    with frozen_time(TOMORROW_9):
        for url in places:
            page = client.get(url).get_data(as_text=True)
            assert "Ieplānots rītam" in page or "/jaunumi/rit" in page, url
        assert client.get("/jaunumi/rit").status_code == 200


def test_the_home_page_shows_the_latest_three_posts_after_the_events(client, make_post, make_event):
    make_event(title="Domnīca Secē", starts_at=datetime(2030, 6, 1, 8, 0, tzinfo=UTC))
    for day in range(1, 6):
        make_post(title=f"Ziņa {day}", published_at=datetime(2030, 5, day, 9, 0, tzinfo=UTC))
    with frozen_time(NOON):
        page = client.get("/").get_data(as_text=True)
    assert page.index("Domnīca Secē") < page.index("Ziņa 5")
    assert [f"Ziņa {d}" in page for d in (5, 4, 3, 2, 1)] == [True, True, True, False, False]


def test_news_is_paginated_newest_first(client, make_post):
    for day in range(1, 13):
        make_post(
            title=f"Ziņa nr. {day:02d}", published_at=datetime(2030, 4, day, 9, 0, tzinfo=UTC)
        )
    with frozen_time(NOON):
        first = client.get("/jaunumi").get_data(as_text=True)
        second = client.get("/jaunumi?lapa=2").get_data(as_text=True)
        assert client.get("/jaunumi?lapa=3").status_code == 404
        assert client.get("/jaunumi?lapa=0").status_code == 404
    assert first.index("Ziņa nr. 12") < first.index("Ziņa nr. 03")
    assert "Ziņa nr. 02" not in first and "Ziņa nr. 02" in second


def test_a_post_shows_its_events_with_live_seats_and_a_sign_up_button(
    client, make_post, make_event, make_registration
):
    event = make_event(
        title="Seminārs Jaunjelgavā",
        capacity=10,
        starts_at=datetime(2030, 6, 1, 8, 0, tzinfo=UTC),
    )
    post = make_post(title="Aicinām uz semināru", events=[event])
    with frozen_time(NOON):
        page = client.get(f"/jaunumi/{post.slug}").get_data(as_text=True)
        assert "Seminārs Jaunjelgavā" in page
        assert "Brīvās vietas: 10" in page
        assert f'href="/notikumi/{event.slug}#pieteikties"' in page
        make_registration(event)
        assert "Brīvās vietas: 9" in client.get(f"/jaunumi/{post.slug}").get_data(as_text=True)


def test_a_post_offers_a_link_preview(client, make_post):
    post = make_post(title="Jauna pieredze Jaunolainē", lead="Brauciena iespaidi.")
    with frozen_time(NOON):
        page = client.get(f"/jaunumi/{post.slug}").get_data(as_text=True)
    assert '<meta property="og:title" content="Jauna pieredze Jaunolainē">' in page
    assert '<meta property="og:description" content="Brauciena iespaidi.">' in page
    assert f'<meta property="og:url" content="http://localhost/jaunumi/{post.slug}">' in page
    assert 'type="application/atom+xml"' in page


def test_a_post_body_cannot_run_anything(client, make_post):
    post = make_post(
        body="<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>"
    )
    with frozen_time(NOON):
        page = client.get(f"/jaunumi/{post.slug}").get_data(as_text=True)
    assert "<script>alert" not in page
    assert 'href="javascript' not in page.lower()
    assert "<img src=x" not in page
    assert "&lt;script&gt;" in page
