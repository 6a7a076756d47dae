"""The calendar addresses people and calendar apps use: files, feeds, 404s and 304s."""

from __future__ import annotations

from datetime import timedelta

import pytest

from registration.extensions import db
from registration.models import Event, EventKind, EventStatus, ProgrammeItem
from registration.timeutil import now_utc, to_riga

from .parsing import both, parse

JOIN_URL = "https://meet.example.org/slepena-istaba-42"


def ics(client, url: str, **kwargs):
    response = client.get(url, **kwargs)
    assert response.status_code == 200, response.status_code
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    return response


# --- one event --------------------------------------------------------------------------------


def test_event_file_matches_the_event(client, make_event):
    event = make_event(
        title="NVO domnīca Skrīveros",
        summary="Sarunas par biedrību darbu.",
        description="Domnīcā satiekas biedrības.\n\nDalība bez maksas.",
        venue_name="Skrīveru kultūras nams",
        venue_address="Daugavas iela 58, Skrīveri",
    )
    response = ics(client, f"/kalendars/notikums/{event.id}.ics")
    assert response.headers["Content-Disposition"] == f'attachment; filename="{event.slug}.ics"'
    seen = both(parse(response.data), event.uid)
    assert seen.summary == "NVO domnīca Skrīveros"
    assert seen.starts_at == event.starts_at
    assert seen.ends_at == event.ends_at
    assert seen.location == "Skrīveru kultūras nams, Daugavas iela 58, Skrīveri"
    assert seen.url == f"http://localhost/notikumi/{event.slug}"
    assert seen.status == "CONFIRMED"
    assert seen.sequence == 0
    assert seen.categories == ["Domnīca"]
    assert seen.description == (
        "Sarunas par biedrību darbu.\n\nDomnīcā satiekas biedrības.\n\nDalība bez maksas.\n\n"
        f"Pasākuma lapa: http://localhost/notikumi/{event.slug}"
    )


def test_a_trip_file_carries_departures_and_programme(client, make_event):
    event = make_event(
        kind=EventKind.STUDY_TRIP,
        stops=[("Pļaviņas, autoosta", 60), ("Aizkraukle, autoosta", 30)],
        commit=False,
    )
    event.programme = [
        ProgrammeItem(position=1, starts_at=event.starts_at + timedelta(hours=2), place="Sēlija",
                      description="Biedrības darbs ar jauniešiem"),
        ProgrammeItem(position=2, description="Atpakaļceļš"),
    ]  # fmt: skip
    db.session.commit()
    seen = both(parse(ics(client, f"/kalendars/notikums/{event.id}.ics").data), event.uid)
    clock_at = [
        to_riga(event.starts_at - timedelta(minutes=m)).strftime("%H:%M") for m in (60, 30, -120)
    ]
    assert (
        f"Izbraukšana:\n{clock_at[0]} Pļaviņas, autoosta\n{clock_at[1]} Aizkraukle, autoosta\n\n"
        f"Programma:\n{clock_at[2]} Sēlija — Biedrības darbs ar jauniešiem\nAtpakaļceļš\n\n"
    ) in seen.description


def test_downloading_twice_gives_the_same_file(client, make_event):
    event = make_event()
    first = ics(client, f"/kalendars/notikums/{event.id}.ics").data
    second = ics(client, f"/kalendars/notikums/{event.id}.ics").data
    assert first == second
    assert both(parse(first), event.uid).uid == event.uid


def test_the_uid_survives_every_edit(client, make_event):
    event = make_event()
    uid = event.uid
    event.title = "Cits nosaukums"
    event.starts_at += timedelta(days=2)
    event.ends_at += timedelta(days=2)
    event.slug = "cits-nosaukums"
    db.session.commit()
    parsed = parse(ics(client, f"/kalendars/notikums/{event.id}.ics").data)
    assert parsed.uids() == [uid]


@pytest.mark.parametrize(
    "event_id", ["abc", "0", "-1", "1.5", "01", "1e3", "99999999999999999999", "٣", "%20"]
)
def test_malformed_event_ids_are_not_found(client, make_event, event_id):
    make_event()
    assert client.get(f"/kalendars/notikums/{event_id}.ics").status_code == 404


def test_unknown_and_draft_events_are_not_found(client, make_event):
    draft = make_event(status=EventStatus.DRAFT)
    assert client.get(f"/kalendars/notikums/{draft.id}.ics").status_code == 404
    assert client.get(f"/kalendars/notikums/{draft.id + 1000}.ics").status_code == 404


def test_the_public_file_never_carries_the_join_link(client, make_event):
    event = make_event(is_online=True, online_url=JOIN_URL, venue_name="", venue_address="")
    response = ics(client, f"/kalendars/notikums/{event.id}.ics")
    assert b"slepena-istaba" not in response.data
    assert b"meet.example.org" not in response.data
    seen = both(parse(response.data), event.uid)
    assert seen.location == "Tiešsaistē"


def test_a_cancelled_event_file_says_so(client, make_event):
    event = make_event(
        status=EventStatus.CANCELLED, cancelled_at=now_utc(), cancellation_reason="Lektors saslima."
    )
    seen = both(parse(ics(client, f"/kalendars/notikums/{event.id}.ics").data), event.uid)
    assert seen.status == "CANCELLED"
    assert seen.description.startswith("Šis pasākums ir atcelts. Lektors saslima.\n\n")


def test_english_on_request(client, make_event):
    event = make_event(kind=EventKind.SEMINAR)
    by_query = both(
        parse(ics(client, f"/kalendars/notikums/{event.id}.ics?lang=en").data), event.uid
    )
    assert by_query.categories == ["Seminar"]
    assert "Event page: " in by_query.description
    client.get("/valoda/en")
    by_cookie = both(parse(ics(client, f"/kalendars/notikums/{event.id}.ics").data), event.uid)
    assert by_cookie.categories == ["Seminar"]
    latvian = ics(client, f"/kalendars/notikums/{event.id}.ics?lang=lv")
    assert both(parse(latvian.data), event.uid).categories == ["Seminārs"]


# --- feeds ------------------------------------------------------------------------------------


def test_the_all_events_feed(client, make_event):
    today = now_utc().replace(microsecond=0)
    first = make_event(starts_at=today + timedelta(days=3))
    second = make_event(kind=EventKind.SEMINAR, starts_at=today + timedelta(days=1))
    past = make_event(starts_at=today - timedelta(days=40))
    make_event(status=EventStatus.DRAFT, title="Melnraksts")
    response = ics(client, "/kalendars/visi.ics")
    assert response.headers["Content-Disposition"] == 'inline; filename="notikumi.ics"'
    parsed = parse(response.data)
    assert parsed.uids() == [past.uid, second.uid, first.uid]
    assert b"Melnraksts" not in response.data
    for event in (first, second, past):
        seen = both(parsed, event.uid)
        assert (seen.summary, seen.starts_at, seen.ends_at) == (
            event.title,
            event.starts_at,
            event.ends_at,
        )
    calendar = parsed.ical
    assert str(calendar["X-WR-CALNAME"]) == "Biedrība „Lauku partnerība”: visi notikumi"
    assert str(calendar["NAME"]) == str(calendar["X-WR-CALNAME"])
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/Riga"
    assert calendar.decoded("REFRESH-INTERVAL") == timedelta(hours=1)
    assert b"\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in response.data
    assert b"\r\nX-PUBLISHED-TTL:PT1H\r\n" in response.data
    assert calendar["METHOD"] == "PUBLISH"
    assert len(calendar.walk("VTIMEZONE")) == 1
    assert parsed.vcal.x_wr_calname.value == "Biedrība „Lauku partnerība”: visi notikumi"


def test_feeds_by_kind(client, make_event):
    seminar = make_event(kind=EventKind.SEMINAR)
    make_event(kind=EventKind.THINK_TANK)
    response = ics(client, "/kalendars/veids/seminar.ics")
    assert response.headers["Content-Disposition"] == 'inline; filename="notikumi-seminar.ics"'
    parsed = parse(response.data)
    assert parsed.uids() == [seminar.uid]
    assert str(parsed.ical["X-WR-CALNAME"]) == "Biedrība „Lauku partnerība”: Semināri"
    for kind in EventKind:
        assert client.get(f"/kalendars/veids/{kind.value}.ics").status_code == 200


def test_feeds_by_place(client, make_event):
    here = make_event(place="Skrīveru pagasts")
    make_event(place="Aizkraukle")
    make_event(place=None, is_online=True)
    response = ics(client, "/kalendars/vieta/skriveru-pagasts.ics")
    parsed = parse(response.data)
    assert parsed.uids() == [here.uid]
    assert str(parsed.ical["X-WR-CALNAME"]) == (
        "Biedrība „Lauku partnerība”: notikumi – Skrīveru pagasts"
    )


def test_an_empty_feed_is_still_a_valid_calendar(client):
    parsed = parse(ics(client, "/kalendars/vieta/valles-pagasts.ics").data)
    assert parsed.uids() == []


@pytest.mark.parametrize(
    "url",
    [
        "/kalendars/veids/domnica.ics",
        "/kalendars/veids/THINK_TANK.ics",
        "/kalendars/veids/draft.ics",
        "/kalendars/vieta/riga.ics",
        "/kalendars/vieta/Skr%C4%ABveru%20pagasts.ics",
        "/kalendars/vieta/other.ics",
        "/kalendars/vieta/.ics",
    ],
)
def test_an_unknown_kind_or_place_is_not_found(client, make_event, url):
    make_event()
    assert client.get(url).status_code == 404


def test_feeds_never_carry_join_links(client, make_event):
    make_event(is_online=True, online_url=JOIN_URL, place="Aizkraukle")
    for url in (
        "/kalendars/visi.ics",
        "/kalendars/veids/think_tank.ics",
        "/kalendars/vieta/aizkraukle.ics",
    ):
        data = ics(client, url).data
        assert b"BEGIN:VEVENT" in data
        assert b"slepena-istaba" not in data


def test_cancelled_events_stay_in_feeds_for_30_days(client, make_event, clock):
    event = make_event(starts_at=clock.now + timedelta(days=60))
    event.status = EventStatus.CANCELLED
    event.cancelled_at = clock.now
    db.session.commit()
    clock.advance(days=29, hours=23)
    seen = both(parse(ics(client, "/kalendars/visi.ics").data), event.uid)
    assert seen.status == "CANCELLED"
    assert seen.sequence == 1
    clock.advance(hours=2)
    assert parse(ics(client, "/kalendars/visi.ics").data).uids() == []


# --- conditional requests ---------------------------------------------------------------------


def test_feed_answers_304_to_a_current_etag(client, make_event, clock):
    event = make_event()
    first = ics(client, "/kalendars/visi.ics")
    etag = first.headers["ETag"]
    assert first.headers["Last-Modified"] == "Mon, 01 Feb 2027 09:00:00 GMT"
    assert "no-cache" in first.headers["Cache-Control"]

    again = client.get("/kalendars/visi.ics", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == etag

    clock.advance(minutes=5)
    event.title = "Jauns nosaukums"
    db.session.commit()
    changed = client.get("/kalendars/visi.ics", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag
    assert changed.headers["Last-Modified"] == "Mon, 01 Feb 2027 09:05:00 GMT"
    assert both(parse(changed.data), event.uid).summary == "Jauns nosaukums"


def test_feed_answers_304_to_if_modified_since(client, make_event, clock):
    make_event()
    last_modified = ics(client, "/kalendars/visi.ics").headers["Last-Modified"]
    assert (
        client.get("/kalendars/visi.ics", headers={"If-Modified-Since": last_modified}).status_code
        == 304
    )
    clock.advance(minutes=1)
    make_event()
    assert (
        client.get("/kalendars/visi.ics", headers={"If-Modified-Since": last_modified}).status_code
        == 200
    )


def test_an_unpublished_event_changes_the_feed(client, make_event, clock):
    event = make_event()
    response = ics(client, "/kalendars/visi.ics")
    clock.advance(minutes=1)
    event.status = EventStatus.DRAFT
    db.session.commit()
    for header in (
        {"If-None-Match": response.headers["ETag"]},
        {"If-Modified-Since": response.headers["Last-Modified"]},
    ):
        again = client.get("/kalendars/visi.ics", headers=header)
        assert again.status_code == 200
        assert parse(again.data).uids() == []


def test_a_cancelled_event_leaving_the_feed_changes_it(client, make_event, clock):
    make_event(status=EventStatus.CANCELLED, cancelled_at=clock.now)
    response = ics(client, "/kalendars/visi.ics")
    clock.advance(days=31)
    for header in (
        {"If-None-Match": response.headers["ETag"]},
        {"If-Modified-Since": response.headers["Last-Modified"]},
    ):
        assert client.get("/kalendars/visi.ics", headers=header).status_code == 200


def test_feeds_of_different_filters_or_languages_have_different_etags(client, make_event):
    make_event(kind=EventKind.SEMINAR, place="Aizkraukle")
    urls = [
        "/kalendars/visi.ics",
        "/kalendars/visi.ics?lang=en",
        "/kalendars/veids/seminar.ics",
        "/kalendars/vieta/aizkraukle.ics",
    ]
    etags = {ics(client, url).headers["ETag"] for url in urls}
    assert len(etags) == len(urls)


def test_event_file_answers_304_until_the_event_changes(client, make_event, clock):
    event = make_event()
    url = f"/kalendars/notikums/{event.id}.ics"
    first = ics(client, url)
    assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    assert (
        client.get(url, headers={"If-Modified-Since": first.headers["Last-Modified"]}).status_code
        == 304
    )
    clock.advance(minutes=1)
    db.session.get(Event, event.id).venue_name = "Cita zāle"
    db.session.commit()
    changed = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200
    assert both(parse(changed.data), event.uid).sequence == 1
