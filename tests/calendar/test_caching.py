"""Calendar files are built once per change: subscribers polling with their ETag get 304s
through a rush of sign-ups, and see a real change within seconds (at once on the process
that made it)."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta

import pytest
import sqlalchemy as sa

from registration.extensions import db
from registration.models import Event, EventStatus
from registration.places import slugify
from registration.services import booking
from registration.timeutil import frozen_time, now_utc

FEED = "/kalendars/visi.ics"


@contextmanager
def counting_queries():
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        if not statement.startswith("BEGIN"):  # SQLite's transaction control
            statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)


def sign_up(event, n: int):
    details = booking.SignUpDetails(
        first_name="Anna", last_name=f"Bērziņa {n}", email=f"anna{n}@example.lv"
    )
    return booking.sign_up(event.id, details)


@pytest.mark.parametrize("url", [FEED, "/kalendars/notikums/{id}.ics"])
def test_a_sign_up_leaves_the_etag_alone(client, make_event, url):
    event = make_event(capacity=5)
    url = url.format(id=event.id)
    first = client.get(url)
    for n in range(3):
        sign_up(event, n)
    assert db.session.get(Event, event.id).confirmed_count == 3
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert client.get(url).data == first.data


@pytest.mark.parametrize("url", [FEED, "/kalendars/notikums/{id}.ics"])
def test_a_visible_change_gives_a_new_file_at_once_on_this_process(client, make_event, url):
    event = make_event(title="Domnīca Secē")
    url = url.format(id=event.id)
    first = client.get(url)
    event.title = "Domnīca Sērenē"
    db.session.commit()
    changed = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != first.headers["ETag"]
    assert "Domnīca Sērenē" in changed.get_data(as_text=True)


def test_another_process_s_change_shows_within_the_recheck_time(client, make_event):
    event = make_event(title="Domnīca Secē")
    start = now_utc()
    with frozen_time(start):
        assert "Secē" in client.get(FEED).get_data(as_text=True)
    # Written around this process's session, as another server process would.
    with db.engine.begin() as conn:
        conn.execute(
            sa.update(Event)
            .where(Event.id == event.id)
            .values(title="Domnīca Sērenē", calendar_changed_at=start + timedelta(seconds=1))
        )
    with frozen_time(start + timedelta(seconds=1)):
        assert "Secē" in client.get(FEED).get_data(as_text=True)
    with frozen_time(start + timedelta(seconds=3)):
        assert "Sērenē" in client.get(FEED).get_data(as_text=True)


def test_a_fresh_feed_is_served_without_asking_the_database(client, make_event):
    for _ in range(3):
        make_event()
    start = now_utc()
    with frozen_time(start):
        client.get(FEED)
    with frozen_time(start + timedelta(seconds=1)), counting_queries() as statements:
        assert client.get(FEED).status_code == 200
    assert statements == []
    with frozen_time(start + timedelta(seconds=5)), counting_queries() as statements:
        assert client.get(FEED).status_code == 200
    assert len(statements) == 1  # the version: nothing changed


def test_an_unknown_or_draft_event_file_stays_not_found(client, make_event):
    draft = make_event(status=EventStatus.DRAFT)
    assert client.get(f"/kalendars/notikums/{draft.id}.ics").status_code == 404
    assert client.get("/kalendars/notikums/999999.ics").status_code == 404


@pytest.mark.parametrize("url", ["/kalendars/veids/{kind}.ics", "/kalendars/vieta/{place}.ics"])
def test_a_subscriber_polling_a_feed_gets_304_until_a_visible_field_changes(
    client, make_event, url
):
    event = make_event(capacity=2, has_waiting_list=True)
    url = url.format(kind=event.kind.value, place=slugify(event.place))
    etag = client.get(url).headers["ETag"]
    # A rush on the event: seats taken, the waiting list, a cancellation, more seats.
    first = sign_up(event, 1)
    for n in range(2, 5):
        sign_up(event, n)
    booking.cancel(first.registration.id)
    booking.set_capacity(event.id, 10)
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    event = db.session.get(Event, event.id)
    event.venue_name = "Pagasta zāle"
    db.session.commit()
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert "Pagasta zāle" in changed.get_data(as_text=True)
    polled = client.get(url, headers={"If-None-Match": changed.headers["ETag"]})
    assert polled.status_code == 304
