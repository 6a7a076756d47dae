"""Cleaning up on the participants page: flags, removing junk, the block list, held mail."""

from __future__ import annotations

import sqlalchemy as sa

from registration.extensions import db
from registration.models import (
    AuditAction,
    AuditEntry,
    BlockedAddress,
    CancelReason,
    Registration,
    RegistrationStatus,
)
from registration.services import booking
from registration.services.booking import SignUpDetails


def sign_up(event, email: str, network: str = "n1"):
    details = SignUpDetails(first_name="Anna", last_name="Liepa", email=email, network_hash=network)
    return booking.sign_up(event.id, details).registration


def test_the_participants_page_flags_a_burst_and_offers_removal(organiser_client, make_event):
    event = make_event(capacity=10)
    junk = [sign_up(event, f"x{n}@junk.example") for n in range(5)]
    page = organiser_client.get(f"/admin/events/{event.id}/participants").get_data(as_text=True)
    assert page.count("daudzi no viena tīkla") == 5
    assert page.count("daudzi vienā pasta domēnā") == 5
    assert f'name="r" value="{junk[0].id}" form="junk-form"' in page
    assert "Izņemt atzīmētos kā nevēlamus" in page


def test_removing_junk_asks_once_more_then_frees_the_seats(organiser_client, make_event):
    event = make_event(capacity=2)
    junk = sign_up(event, "x@junk.example")
    real = sign_up(event, "real@example.lv")
    waiting = sign_up(event, "waiting@example.lv")
    url = f"/admin/events/{event.id}/junk"

    review = organiser_client.get(url, query_string={"r": [str(junk.id), "999", "x"]})
    page = review.get_data(as_text=True)
    assert review.status_code == 200
    assert "x@junk.example" in page and "real@example.lv" not in page
    assert registration(junk).status is RegistrationStatus.CONFIRMED  # nothing yet

    response = organiser_client.post(url, data={"registration_ids": [str(junk.id)], "block": "y"})
    assert response.status_code == 302
    assert registration(junk).cancel_reason is CancelReason.JUNK
    assert registration(real).status is RegistrationStatus.CONFIRMED
    assert registration(waiting).status is RegistrationStatus.CONFIRMED
    assert db.session.scalar(sa.select(BlockedAddress.value)) == "x@junk.example"
    actions = db.session.scalars(sa.select(AuditEntry.action)).all()
    assert AuditAction.JUNK_REMOVED in actions
    listing = organiser_client.get(
        f"/admin/events/{event.id}/participants", query_string={"status": "cancelled"}
    ).get_data(as_text=True)
    assert "izņemts kā nevēlams" in listing


def test_a_registration_of_another_event_cannot_be_removed_through_this_one(
    organiser_client, make_event
):
    event, other = make_event(), make_event()
    elsewhere = sign_up(other, "a@example.lv")
    organiser_client.post(
        f"/admin/events/{event.id}/junk", data={"registration_ids": [str(elsewhere.id)]}
    )
    assert registration(elsewhere).status is RegistrationStatus.CONFIRMED


def registration(r: Registration) -> Registration:
    db.session.expire_all()
    return db.session.get(Registration, r.id)


def test_the_block_list_is_kept_in_the_back_office(organiser_client, make_event):
    response = organiser_client.post(
        "/admin/blocklist", data={"value": "Spam.Example", "note": "x"}
    )
    assert response.status_code == 302
    page = organiser_client.get("/admin/blocklist").get_data(as_text=True)
    assert "spam.example" in page
    refused = organiser_client.post("/admin/blocklist", data={"value": "not an address"})
    assert refused.status_code == 422
    assert "Uzrakstiet e-pasta adresi" in refused.get_data(as_text=True)
    entry = db.session.scalar(sa.select(BlockedAddress))
    assert organiser_client.post(f"/admin/blocklist/{entry.id}/remove").status_code == 302
    assert db.session.scalar(sa.select(BlockedAddress)) is None


def test_held_back_mail_is_explained_on_the_undelivered_list(organiser_client, make_event):
    event = make_event()
    sign_up(event, "svesais@example.lv")
    sign_up(make_event(), "svesais@example.lv")
    page = organiser_client.get("/admin/mail/failed").get_data(as_text=True)
    assert "adrese nav apstiprināta" in page


def test_an_event_can_ask_for_a_confirmation(organiser_client, make_event):
    event = make_event(confirm_within_hours=12)
    page = organiser_client.get(f"/admin/events/{event.id}").get_data(as_text=True)
    assert "12 stundu laikā" in page
    edit = organiser_client.get(f"/admin/events/{event.id}/edit").get_data(as_text=True)
    assert 'name="confirm_within_hours"' in edit and 'value="12"' in edit
