"""Upgrading: a database made by the first release's migrations, holding real sign-ups,
goes through `flask db upgrade` to this version and loses nothing."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_migrate import upgrade
from werkzeug.security import generate_password_hash

from registration.extensions import db
from registration.services import tokens

from .helpers import using

FIRST_RELEASE = "0001"
# Wednesday 29 September 2027, 08:00 in Riga: a study trip with a bus.
TRIP = datetime(2027, 9, 29, 5, 0)
SEMINAR = datetime(2027, 10, 8, 14, 0)
WRITTEN = datetime(2027, 9, 1, 9, 30)


def first_release_data(nonce: str, token_hash: str) -> dict[str, list[dict]]:
    """What an organisation had after a season on the first release: an organiser, a
    project, a bus trip with stops and a programme, a full seminar with a waiting list."""
    stamps = {"created_at": WRITTEN, "updated_at": WRITTEN}
    event = {
        "sequence": 0,
        "description": "",
        "audience": "",
        "place": "Koknese",
        "is_online": False,
        "online_url": None,
        "registration_opens_at": None,
        "registration_closes_at": None,
        "requires_phone": False,
        "contact_name": "Ilze",
        "contact_email": "info@partneriba.example",
        "contact_phone": "",
        "practical_info": "",
        "reminder_hours": 24,
        "notify_organiser": False,
        "cancellation_reason": "",
        "published_at": WRITTEN,
        "cancelled_at": None,
        "project_id": 1,
        **stamps,
    }
    person = {
        "email_key": None,
        "phone": "",
        "place": "Koknese",
        "place_other": "",
        "organisation": "",
        "pickup_stop_id": None,
        "needs": "",
        "comment": "",
        "consent_notice_version": "2021-06",
        "consented_at": WRITTEN,
        "photo_opt_out": False,
        "wants_news": False,
        "language": "lv",
        "source": "online",
        "queued_at": WRITTEN,
        "confirmed_at": WRITTEN,
        "cancelled_at": None,
        "attendance": None,
        "checked_in_at": None,
        "organiser_note": "",
        "status": "confirmed",
        **stamps,
    }

    def registration(n: int, event_id: int, first: str, last: str, **fields) -> dict:
        email = f"{first.lower()}.{n}@example.lv"
        return {
            **person,
            "id": n,
            "event_id": event_id,
            "first_name": first,
            "last_name": last,
            "email": email,
            "email_key": email,
            "manage_nonce": f"{n:032x}",
            "manage_token_hash": hashlib.sha256(f"other-{n}".encode()).hexdigest(),
            **fields,
        }

    return {
        "organiser": [
            {
                "id": 1,
                "email": "ilze@partneriba.example",
                "role": "admin",
                "active": True,
                "password_hash": generate_password_hash("vecā parole 2021"),
                "name": "Ilze Kalniņa",
                "last_login_at": WRITTEN,
                **stamps,
            }
        ],
        "project": [
            {
                "id": 1,
                "title": "Iedzīvotāju stiprināšana",
                "code": "2021.LV/NVOF/MIC/031/10",
                "funder": "NVO fonds",
                "funding_line": "Finansējums: NVO fonds",
                "starts_on": datetime(2021, 2, 1).date(),
                "ends_on": datetime(2021, 11, 20).date(),
                "description": "",
                **stamps,
            }
        ],
        "event": [
            {
                **event,
                "id": 1,
                "uid": "trip-1@partneriba",
                "slug": "brauciens-uz-seliju",
                "kind": "study_trip",
                "status": "published",
                "title": "Pieredzes brauciens uz Sēliju",
                "summary": "Brauciens ar autobusu.",
                "starts_at": TRIP,
                "ends_at": TRIP + timedelta(hours=10),
                "venue_name": "Sēlija",
                "venue_address": "Sēlpils pagasts",
                "capacity": 40,
                "confirmed_count": 2,
                "has_waiting_list": True,
            },
            {
                **event,
                "id": 2,
                "uid": "seminar-2@partneriba",
                "slug": "seminars-padomes",
                "kind": "seminar",
                "status": "published",
                "title": "Iedzīvotāju padomes",
                "summary": "Seminārs.",
                "starts_at": SEMINAR,
                "ends_at": SEMINAR + timedelta(hours=3),
                "venue_name": "Tautas nams",
                "venue_address": "Skrīveri",
                "capacity": 1,
                "confirmed_count": 1,
                "has_waiting_list": True,
            },
        ],
        "pickup_stop": [
            {
                "id": 1,
                "event_id": 1,
                "position": 1,
                "place": "Aizkraukle, autoosta",
                "departs_at": TRIP - timedelta(minutes=45),
                "note": "",
            },
            {
                "id": 2,
                "event_id": 1,
                "position": 2,
                "place": "Koknese, baznīca",
                "departs_at": TRIP - timedelta(minutes=20),
                "note": "pie pieturas",
            },
        ],
        "programme_item": [
            {
                "id": 1,
                "event_id": 1,
                "position": 1,
                "starts_at": TRIP + timedelta(hours=2),
                "place": "Sēlpils",
                "description": "Tikšanās ar biedrību",
            },
        ],
        "registration": [
            registration(
                1,
                1,
                "Līga",
                "Ozoliņa",
                pickup_stop_id=2,
                manage_nonce=nonce,
                manage_token_hash=token_hash,
                phone="+37126123456",
            ),
            registration(
                2,
                1,
                "Jānis",
                "Bērziņš",
                pickup_stop_id=1,
                attendance="attended",
                checked_in_at=TRIP,
            ),
            registration(3, 2, "Anna", "Kalniņa", organisation="Biedrība „Sēlija”"),
            registration(4, 2, "Pēteris", "Zariņš", status="waitlisted", confirmed_at=None),
            registration(5, 1, "Marta", "Liepa", status="cancelled", cancelled_at=WRITTEN),
        ],
    }


def rows_by_table(tables: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """The current content of these tables, restricted to the columns given."""
    found = {}
    metadata = sa.MetaData()
    metadata.reflect(db.engine, only=list(tables))
    with db.engine.connect() as conn:
        for name, rows in tables.items():
            table = metadata.tables[name]
            columns = [table.c[column] for column in rows[0]]
            found[name] = [
                dict(row._mapping) for row in conn.execute(sa.select(*columns).order_by("id"))
            ]
    return found


def test_a_first_release_database_with_sign_ups_upgrades_without_losing_anything(
    other_install,
):
    app = other_install()
    with using(app):
        upgrade(revision=FIRST_RELEASE)
        nonce = tokens.new_nonce()
        token = tokens.token_for_nonce(nonce)
        data = first_release_data(nonce, tokens.hash_token(token))
        metadata = sa.MetaData()
        metadata.reflect(db.engine)
        assert "outbox_message" not in metadata.tables  # it is the first release's schema
        with db.engine.begin() as conn:
            for name, rows in data.items():
                conn.execute(metadata.tables[name].insert(), rows)
        before = rows_by_table(data)
        assert sum(len(rows) for rows in before.values()) == 12

        upgrade()

        assert rows_by_table(data) == before
        # A column added since is filled in from what was there.
        changed = rows_by_table({"event": [{"calendar_changed_at": None}]})["event"]
        assert changed == [{"calendar_changed_at": WRITTEN}] * 2

    restarted = other_install()
    with using(restarted):
        client = restarted.test_client()
        page = client.get(f"/pieteikums/{token}").get_data(as_text=True)
        assert "Līga" in page
        assert "Koknese, baznīca" in page
        event_page = client.get("/notikumi/brauciens-uz-seliju")
        assert event_page.status_code == 200
        login = client.post(
            "/admin/login",
            data={"email": "ilze@partneriba.example", "password": "vecā parole 2021"},
        )
        assert login.status_code == 302
        participants = client.get("/admin/events/2/participants").get_data(as_text=True)
        assert "Kalniņa" in participants
        assert "Zariņš" in participants
        assert client.get("/healthz").status_code == 200
