"""The read-only JSON API: documented fields, ISO 8601 times with the offset, ETag and 304,
readable from any site, nothing personal."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from registration.extensions import db
from registration.models import EventStatus
from registration.timeutil import frozen_time

NOW = datetime(2030, 5, 10, 9, 0, tzinfo=UTC)
ISO = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0[23]:00")

EVENT_FIELDS = {
    "id": int, "url": str, "title": str, "kind": str, "summary": str, "starts_at": str,
    "ends_at": str, "status": str, "is_online": bool, "venue_name": str, "venue_address": str,
    "place": (str, type(None)), "capacity": (int, type(None)), "seats_left": (int, type(None)),
    "registration": str, "registration_closes_at": str, "calendar_url": str,
    "project": (dict, type(None)),
}  # fmt: skip
POST_FIELDS = {
    "id": int, "url": str, "title": str, "lead": str, "content_html": str, "published_at": str,
    "updated_at": str, "photo": (dict, type(None)), "event_ids": list,
    "project": (dict, type(None)),
}  # fmt: skip


def _check(item: dict, schema: dict) -> None:
    assert set(item) == set(schema)
    for name, kind in schema.items():
        assert isinstance(item[name], kind), (name, item[name])


def test_events_have_the_documented_fields(client, make_event, make_registration, make_project):
    project = make_project()
    event = make_event(
        title="NVO domnīca Iršos",
        capacity=20,
        project=project,
        starts_at=datetime(2030, 6, 1, 7, 0, tzinfo=UTC),
        online_url="https://meet.example.org/slepens",
        contact_email="koordinatore@partneriba.example",
    )
    make_registration(event, first_name="Ilze", last_name="Kalniņa", email="ilze@example.lv")
    make_event(status=EventStatus.DRAFT, title="Melnraksts")
    with frozen_time(NOW):
        response = client.get("/api/v1/events")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert ISO.fullmatch(body["generated_at"])
    [item] = body["data"]
    _check(item, EVENT_FIELDS)
    assert item["starts_at"] == "2030-06-01T10:00:00+03:00"
    assert ISO.fullmatch(item["ends_at"]) and ISO.fullmatch(item["registration_closes_at"])
    assert item["seats_left"] == 19 and item["registration"] == "open"
    assert item["url"] == f"http://localhost/notikumi/{event.slug}"
    assert item["project"]["code"] == project.code
    text = response.get_data(as_text=True)
    for private in ("Kalniņa", "ilze@example.lv", "slepens", "koordinatore", "Melnraksts"):
        assert private not in text


def test_events_can_be_filtered(client, make_event, make_project):
    project = make_project()
    make_event(title="A", project=project, starts_at=datetime(2030, 6, 1, 7, 0, tzinfo=UTC))
    make_event(title="B", place="Iršu pagasts", starts_at=datetime(2030, 6, 2, 7, 0, tzinfo=UTC))
    with frozen_time(NOW):
        by_project = client.get(f"/api/v1/events?project={project.slug}").get_json()["data"]
        by_place = client.get("/api/v1/events?place=irsu-pagasts").get_json()["data"]
        assert client.get("/api/v1/events?kind=nav").status_code == 404
    assert [e["title"] for e in by_project] == ["A"]
    assert [e["title"] for e in by_place] == ["B"]


def test_posts_have_the_documented_fields(client, make_post, make_event):
    event = make_event(starts_at=datetime(2030, 6, 1, 7, 0, tzinfo=UTC))
    make_post(title="Aicinām", body="<script>x</script> **Jā**", events=[event])
    with frozen_time(NOW):
        [item] = client.get("/api/v1/posts").get_json()["data"]
        assert client.get("/api/v1/posts?limit=500").status_code == 404
    _check(item, POST_FIELDS)
    assert item["published_at"] == "2026-01-15T12:00:00+02:00"
    assert item["event_ids"] == [event.id]
    assert "<strong>Jā</strong>" in item["content_html"] and "<script>" not in item["content_html"]


def test_an_unchanged_answer_is_304_and_a_change_gives_a_new_etag(client, make_event):
    event = make_event(starts_at=datetime(2030, 6, 1, 7, 0, tzinfo=UTC), capacity=5)
    with frozen_time(NOW):
        first = client.get("/api/v1/events")
        etag = first.headers["ETag"]
        again = client.get("/api/v1/events", headers={"If-None-Match": etag})
        assert again.status_code == 304 and not again.data
    event.capacity = 6
    db.session.commit()
    with frozen_time(NOW.replace(minute=5)):
        changed = client.get("/api/v1/events", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_any_site_may_read_but_not_write(client):
    response = client.get("/api/v1/posts", headers={"Origin": "https://novads.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response.headers["Access-Control-Expose-Headers"]
    preflight = client.options(
        "/api/v1/events",
        headers={"Origin": "https://novads.example", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.headers["Access-Control-Allow-Methods"] == "GET"
    assert "If-None-Match" in preflight.headers["Access-Control-Allow-Headers"]
    assert client.post("/api/v1/events").status_code == 405
    assert "Access-Control-Allow-Origin" not in client.get("/").headers
