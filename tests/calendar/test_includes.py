"""The calendar snippets the public pages include, rendered the way a page would."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import render_template_string

from registration.calendar import ics
from registration.models import EventKind, EventStatus
from registration.timeutil import now_utc

BASE = "https://pasakumi.example.lv"


@pytest.fixture
def app_config():
    return {"PUBLIC_BASE_URL": BASE}


def render(app, source: str, language: str = "lv", **context) -> str:
    headers = {"Cookie": f"lang={language}"}
    with app.test_request_context("/", headers=headers):
        return render_template_string(source, **context)


def hrefs(html: str) -> list[str]:
    return [unescape(h) for h in re.findall(r'href="([^"]*)"', html)]


def query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


EVENT_LINKS = '{% include "calendar/_event_links.html" %}'
FEED_HEAD = '{% include "calendar/_feed_head.html" %}'
SUBSCRIBE = '{% include "calendar/_subscribe.html" %}'


# --- add to calendar --------------------------------------------------------------------------


def test_event_links_offer_the_file_google_and_outlook(app, client, make_event):
    event = make_event(title="Seminārs „Līdzdalība”, 2. daļa", venue_name="Tautas nams")
    html = render(app, EVENT_LINKS, event=event)
    assert "Pievienot kalendāram" in html
    assert "Atvērt Google kalendārā" in html
    file_link, google, outlook = hrefs(html)
    assert file_link == f"/kalendars/notikums/{event.id}.ics"
    assert client.get(file_link).headers["Content-Type"] == "text/calendar; charset=utf-8"

    assert google.startswith("https://calendar.google.com/calendar/render?")
    starts = event.starts_at.strftime("%Y%m%dT%H%M%SZ")
    ends = event.ends_at.strftime("%Y%m%dT%H%M%SZ")
    assert query(google) == {
        "action": "TEMPLATE",
        "text": "Seminārs „Līdzdalība”, 2. daļa",
        "dates": f"{starts}/{ends}",
        "details": f"Sarunas par biedrību darbu.\n\nPasākuma lapa: {BASE}/notikumi/{event.slug}",
        "location": "Tautas nams, Skrīveri",
        "ctz": "Europe/Riga",
    }
    assert outlook.startswith("https://outlook.live.com/calendar/0/deeplink/compose?")
    fields = query(outlook)
    assert fields["rru"] == "addevent"
    assert fields["subject"] == "Seminārs „Līdzdalība”, 2. daļa"
    assert fields["startdt"] == event.starts_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert fields["enddt"] == event.ends_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert fields["location"] == "Tautas nams, Skrīveri"


def test_one_click_links_never_carry_the_join_link(app, make_event):
    event = make_event(is_online=True, online_url="https://meet.example.org/slepeni")
    # Called without a request, as an email template would.
    for url in (ics.google_calendar_url(event), ics.outlook_calendar_url(event)):
        assert "slepeni" not in url
        assert query(url)["location"] == "Tiešsaistē"
    html = render(app, EVENT_LINKS, event=event)
    assert "slepeni" not in html
    assert "Tie%C5%A1saist%C4%93" in html  # "Tiešsaistē" as the location


def test_event_links_in_english(app, make_event):
    html = render(app, EVENT_LINKS, language="en", event=make_event())
    assert "Add to calendar" in html
    assert "Open in Outlook.com" in html


def test_event_links_are_escaped(app, make_event):
    event = make_event(title='<script>alert("x")</script> & "citāts"')
    html = render(app, EVENT_LINKS, event=event)
    assert "<script>" not in html
    assert query(hrefs(html)[1])["text"] == '<script>alert("x")</script> & "citāts"'


@pytest.mark.parametrize(
    "fields",
    [
        {"status": EventStatus.CANCELLED},
        {"starts_at": now_utc().replace(microsecond=0) - timedelta(days=2)},
    ],
    ids=["cancelled", "past"],
)
def test_no_links_for_a_cancelled_or_past_event(app, make_event, fields):
    assert render(app, EVENT_LINKS, event=make_event(**fields)).strip() == ""


# --- feeds in the page head -------------------------------------------------------------------


def link_tags(html: str) -> list[tuple[str, str]]:
    tags = re.findall(r"<link [^>]*>", html)
    assert all('rel="alternate" type="text/calendar"' in tag for tag in tags)
    return [
        (unescape(re.search(r'title="([^"]*)"', t)[1]), re.search(r'href="([^"]*)"', t)[1])
        for t in tags
    ]


def test_feed_head_without_a_filter_advertises_all_events(app, client):
    tags = link_tags(render(app, FEED_HEAD))
    assert tags == [("Biedrība „Lauku partnerība”: visi notikumi", "/kalendars/visi.ics")]
    assert client.get(tags[0][1]).status_code == 200


def test_feed_head_with_a_kind_puts_that_feed_first(app, client):
    tags = link_tags(
        render(app, FEED_HEAD, calendar_kind=EventKind.STUDY_TRIP, calendar_place=None)
    )
    assert tags == [
        (
            "Biedrība „Lauku partnerība”: Pieredzes braucieni",
            "/kalendars/veids/study_trip.ics",
        ),
        ("Biedrība „Lauku partnerība”: visi notikumi", "/kalendars/visi.ics"),
    ]
    for _, href in tags:
        assert client.get(href).status_code == 200


def test_feed_head_with_a_place(app, client):
    tags = link_tags(render(app, FEED_HEAD, calendar_kind=None, calendar_place="Skrīveru pagasts"))
    assert tags[0] == (
        "Biedrība „Lauku partnerība”: notikumi – Skrīveru pagasts",
        "/kalendars/vieta/skriveru-pagasts.ics",
    )
    assert client.get(tags[0][1]).status_code == 200


def test_feed_head_in_english_links_english_feeds(app, client):
    tags = link_tags(render(app, FEED_HEAD, language="en", calendar_kind=EventKind.SEMINAR))
    assert tags[0] == (
        "Biedrība „Lauku partnerība”: Seminars",
        "/kalendars/veids/seminar.ics?lang=en",
    )
    assert b"X-WR-CALNAME:Biedr" in client.get(tags[0][1]).data
    assert "Seminars" in client.get(tags[0][1]).get_data(as_text=True)


def test_feed_head_ignores_an_unknown_place(app):
    tags = link_tags(render(app, FEED_HEAD, calendar_place="Rīga"))
    assert [href for _, href in tags] == ["/kalendars/visi.ics"]


# --- the subscribe block ----------------------------------------------------------------------


def test_subscribe_offers_https_and_webcal(app, client):
    html = render(app, SUBSCRIBE, calendar_kind=EventKind.THINK_TANK)
    assert "Abonējiet vienreiz" in html
    assert hrefs(html) == ["webcal://pasakumi.example.lv/kalendars/veids/think_tank.ics"]
    assert 'value="https://pasakumi.example.lv/kalendars/veids/think_tank.ics"' in html
    assert "Abonēt: Biedrība „Lauku partnerība”: Domnīcas" in unescape(html)
    assert client.get("/kalendars/veids/think_tank.ics").status_code == 200


def test_subscribe_for_all_events_and_for_a_place(app):
    everything = render(app, SUBSCRIBE)
    assert hrefs(everything) == ["webcal://pasakumi.example.lv/kalendars/visi.ics"]
    place = render(app, SUBSCRIBE, calendar_place="Pļaviņas")
    assert hrefs(place) == ["webcal://pasakumi.example.lv/kalendars/vieta/plavinas.ics"]


def test_subscribe_shows_nothing_for_an_unknown_place(app):
    assert render(app, SUBSCRIBE, calendar_place="Rīga").strip() == ""


def test_includes_load_nothing_from_other_sites(app, make_event):
    # The home page promises no href="https://…" to other hosts; the head and subscribe
    # includes may go there, so they must keep to relative paths and webcal:// links.
    html = render(app, FEED_HEAD + SUBSCRIBE, calendar_kind=EventKind.SEMINAR)
    assert re.findall(r'(?:src|href)="(https?:)?//', html) == []


def test_includes_fit_the_site_layout(app, make_event):
    # How the public pages will use them: feeds in <head>, links and the block in the content.
    page = (
        '{% extends "base.html" %}'
        '{% block head %}{% include "calendar/_feed_head.html" %}{% endblock %}'
        "{% block content %}" + EVENT_LINKS + SUBSCRIBE + "{% endblock %}"
    )
    event = make_event()
    html = render(app, page, event=event, calendar_kind=event.kind, calendar_place=event.place)
    head, body = html.split("</head>")
    assert head.count('type="text/calendar"') == 2
    assert f"/kalendars/notikums/{event.id}.ics" in body
    assert "webcal://pasakumi.example.lv/kalendars/veids/think_tank.ics" in body
