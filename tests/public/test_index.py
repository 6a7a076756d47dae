"""The upcoming-events list: grouping, states, filters, archive, and a constant query count."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from registration.extensions import db
from registration.models import EventKind, EventStatus
from registration.timeutil import frozen_time, now_utc


@contextmanager
def counting_queries():
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)


def test_query_count_does_not_grow_with_the_number_of_events(client, make_event):
    start = now_utc()

    def queries_for_index(after_seconds: int) -> int:
        with (
            counting_queries() as statements,
            frozen_time(start + timedelta(seconds=after_seconds)),
        ):
            assert client.get("/").status_code == 200
        return len(statements)

    for _ in range(3):
        make_event(kind=EventKind.STUDY_TRIP, stops=[("Aizkraukle", 30)])
    few = queries_for_index(0)
    for n in range(40):
        make_event(kind=list(EventKind)[n % 5], place=["Aizkraukle", "Koknese"][n % 2])
    many = queries_for_index(10)
    assert many == few
    # Version, events, news, the next scheduled post, the organisation's details (once).
    assert few <= 5
    # Unchanged data: within seconds the page is reused without asking the database;
    # later one small query confirms nothing changed.
    assert queries_for_index(11) == 0
    assert queries_for_index(20) == 1


def test_a_sign_up_elsewhere_shows_in_the_list_within_seconds(
    client, make_event, make_registration
):
    event = make_event(capacity=10)
    start = now_utc()
    with frozen_time(start):
        assert "Brīvās vietas: 10" in client.get("/").get_data(as_text=True)
        make_registration(event)  # as if another server process had taken the seat
    with frozen_time(start + timedelta(seconds=3)):
        assert "Brīvās vietas: 9" in client.get("/").get_data(as_text=True)


def test_the_list_changes_when_registration_closes(client, make_event):
    event = make_event(registration_closes_at=now_utc() + timedelta(hours=1))
    assert "Brīvās vietas" in client.get("/").get_data(as_text=True)
    with frozen_time(event.registration_closes_at + timedelta(seconds=1)):
        assert "Pieteikšanās ir slēgta" in client.get("/").get_data(as_text=True)


def test_events_are_grouped_by_month_in_riga_time(client, make_event):
    make_event(title="Janvāra rīts", starts_at=datetime(2027, 1, 31, 8, 0, tzinfo=UTC))
    # 22:30 UTC on 31 January is 00:30 on 1 February in Riga.
    make_event(title="Pusnakts sapulce", starts_at=datetime(2027, 1, 31, 22, 30, tzinfo=UTC))
    with frozen_time(datetime(2027, 1, 1, tzinfo=UTC)):
        page = client.get("/").get_data(as_text=True)
    january = page.index("2027. gada janvāris")
    february = page.index("2027. gada februāris")
    assert january < page.index("Janvāra rīts") < february < page.index("Pusnakts sapulce")


def test_each_card_shows_kind_date_place_and_state(client, make_event, make_registration):
    full = make_event(title="Pilna domnīca", capacity=1)
    make_registration(full)
    make_event(title="Brīva domnīca", capacity=20)
    make_event(title="Atcelts seminārs", kind=EventKind.SEMINAR, status=EventStatus.CANCELLED)
    make_event(title="Drīzumā", registration_opens_at=now_utc() + timedelta(days=2))
    page = client.get("/").get_data(as_text=True)
    assert "Vietu nav: var pieteikties gaidīšanas sarakstā" in page
    assert "Brīvās vietas: 20" in page
    assert "Atcelts" in page
    assert "Pieteikšanās sāksies" in page
    assert "Domnīca" in page


def test_filters_are_plain_shareable_links(client, make_event):
    make_event(title="Brauciens uz Sēliju", kind=EventKind.STUDY_TRIP, place="Aizkraukle")
    make_event(title="Domnīca Koknesē", kind=EventKind.THINK_TANK, place="Koknese")
    trips = client.get("/?veids=study_trip").get_data(as_text=True)
    assert "Brauciens uz Sēliju" in trips and "Domnīca Koknesē" not in trips
    koknese = client.get("/?vieta=koknese").get_data(as_text=True)
    assert "Domnīca Koknesē" in koknese and "Brauciens uz Sēliju" not in koknese
    assert 'href="/?veids=study_trip&amp;vieta=koknese"' in koknese


def test_unknown_filters_are_not_found(client):
    assert client.get("/?veids=koncerts").status_code == 404
    assert client.get("/?vieta=riga").status_code == 404


def test_past_events_move_to_the_archive(client, make_event):
    make_event(title="Pagājušā gada seminārs", starts_at=now_utc() - timedelta(days=300))
    make_event(title="Nākamā domnīca")
    home = client.get("/").get_data(as_text=True)
    archive = client.get("/arhivs").get_data(as_text=True)
    assert "Pagājušā gada seminārs" not in home
    assert "Pagājušā gada seminārs" in archive
    assert "Nākamā domnīca" not in archive
    assert client.get("/arhivs?lapa=0").status_code == 404


def test_public_pages_show_no_personal_data(client, make_event, make_registration):
    event = make_event()
    make_registration(
        event,
        first_name="Slepenā",
        last_name="Persona",
        email="slepena@example.lv",
        phone="+37126000000",
    )
    for url in ("/", f"/notikumi/{event.slug}", "/arhivs"):
        page = client.get(url).get_data(as_text=True)
        for secret in ("Slepenā", "slepena@example.lv", "26000000"):
            assert secret not in page


def test_online_event_never_shows_its_join_link_publicly(client, make_event):
    event = make_event(is_online=True, online_url="https://meet.example.org/slepena-istaba")
    page = client.get(f"/notikumi/{event.slug}").get_data(as_text=True)
    assert "slepena-istaba" not in page
    assert "Tiešsaistē" in page
    assert "pieslēgšanās saiti saņems e-pastā" in page


def test_a_message_for_one_visitor_is_never_served_to_another(app, client, make_event):
    make_event()
    client.get("/")  # the list is now cached
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Tikai jums domāta ziņa")]
    assert "Tikai jums domāta ziņa" in client.get("/").get_data(as_text=True)
    other = app.test_client()
    assert "Tikai jums domāta ziņa" not in other.get("/").get_data(as_text=True)
