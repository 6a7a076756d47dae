"""The whole way: the public pages and the booking rules, the outbox, the mail server."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from registration.mail.sender import send_pending
from registration.timeutil import frozen_time, now_utc

from ..pages import post_signup, signup_form
from .helpers import calendar_of, rows, text_of

FORM = {
    "first_name": "Ilze",
    "last_name": "Kalniņa",
    "email": "ilze@example.lv",
    "place": "Skrīveru pagasts",
    "consent": "y",
}


def manage_path(message) -> str:
    return urlsplit(next(w for w in text_of(message).split() if "/pieteikums/" in w)).path


def test_sign_up_cancel_and_promotion_each_send_their_message(app, client, smtp_server, make_event):
    event = make_event(capacity=1, title="Seminārs Jaunjelgavā")
    assert post_signup(client, event, **FORM).status_code == 303
    client.set_cookie("lang", "en")
    waiting = {**FORM, "first_name": "Juris", "email": "juris@example.lv"}
    assert post_signup(client, event, **waiting).status_code == 303
    assert [r.kind for r in rows()] == ["confirmation", "waitlisted"]

    send_pending()
    confirmation, waitlisted = smtp_server.messages()
    assert confirmation["Subject"] == "Pieteikums apstiprināts: Seminārs Jaunjelgavā"
    assert waitlisted["Subject"] == "You are on the waiting list: Seminārs Jaunjelgavā"
    assert "Your place in the queue: 1." in text_of(waitlisted)

    # Ilze cancels through the link in her email; Juris moves up and is told.
    response = client.post(manage_path(confirmation) + "/atcelt")
    assert response.status_code == 303
    send_pending()
    cancelled, promoted = smtp_server.messages()[2:]
    assert cancelled["To"].addresses[0].addr_spec == "ilze@example.lv"
    assert cancelled["Subject"] == "Pieteikums atcelts: Seminārs Jaunjelgavā"
    # The cancellation carries a file that takes the event out of her calendar: same UID,
    # CANCELLED, and a SEQUENCE above the confirmation's, which calendar apps require.
    before, _ = calendar_of(confirmation)
    after, _ = calendar_of(cancelled)
    assert after.vevent.uid.value == before.vevent.uid.value == event.uid
    assert after.vevent.status.value == "CANCELLED"
    assert before.vevent.status.value == "CONFIRMED"
    assert int(after.vevent.sequence.value) > int(before.vevent.sequence.value)
    assert promoted["To"].addresses[0].addr_spec == "juris@example.lv"
    assert promoted["Subject"] == "A place is yours: Seminārs Jaunjelgavā"
    calendar, _ = calendar_of(promoted)
    assert calendar.vevent.uid.value == event.uid
    assert client.get(manage_path(promoted)).status_code == 200


def test_signing_up_twice_answers_the_same_and_mails_the_existing_link(
    app, client, smtp_server, make_event
):
    # The second message to an address never confirmed is held back by default
    # (tests/mail/test_unasked.py); here two may go.
    app.config["MAIL_UNCONFIRMED_PER_HOUR"] = 2
    event = make_event()
    first = post_signup(client, event, **FORM)
    second = post_signup(client, event, **FORM)
    assert first.status_code == second.status_code == 303
    send_pending()
    confirmation, reminder_of_link = smtp_server.messages()
    assert "Jūsu pieteikums jau ir saņemts" in text_of(reminder_of_link)
    assert manage_path(reminder_of_link) == manage_path(confirmation)


def test_signing_up_again_after_cancelling_puts_the_event_back_in_the_calendar(
    app, client, smtp_server, make_event
):
    event = make_event()
    client.post(f"/notikumi/{event.slug}", data=signup_form(client, event, **FORM))
    send_pending()
    [confirmation] = smtp_server.messages()
    client.post(manage_path(confirmation) + "/atcelt")
    # Later that day (within the hour, an address never confirmed hears from the sign-up
    # form only once: its next message would wait).
    with frozen_time(now_utc() + timedelta(hours=2)):
        client.post(f"/notikumi/{event.slug}", data=signup_form(client, event, **FORM))
        send_pending()
    _, cancelled, again = smtp_server.messages()
    sequences = [
        int(calendar_of(m)[0].vevent.sequence.value) for m in (confirmation, cancelled, again)
    ]
    assert sequences == sorted(set(sequences))  # each file replaces the one before
    assert calendar_of(again)[0].vevent.status.value == "CONFIRMED"


def test_a_group_sign_up_confirms_the_lead_and_each_companion_with_an_address(
    app, client, smtp_server, make_event
):
    event = make_event(capacity=5, notify_organiser=True)
    data = {
        **FORM,
        "companions-0-first_name": "Pēteris",
        "companions-0-last_name": "Kalniņš",
        "companions-0-email": "peteris@example.lv",
        "companions-0-place": "Koknese",
        "companions-1-first_name": "Marta",
        "companions-1-last_name": "Kalniņa",
        "companions-1-place": "Koknese",
    }
    assert (
        client.post(f"/notikumi/{event.slug}", data=signup_form(client, event, **data)).status_code
        == 303
    )
    send_pending()
    by_address = {m["To"].addresses[0].addr_spec: m for m in smtp_server.messages()}
    # Marta has no address: the lead's confirmation names her; one notice for the contact.
    assert set(by_address) == {"ilze@example.lv", "peteris@example.lv", event.contact_email}
    lead, peteris = by_address["ilze@example.lv"], by_address["peteris@example.lv"]
    assert "Kopā ar jums pieteikti: Pēteris Kalniņš, Marta Kalniņa." in text_of(lead)
    assert manage_path(lead) != manage_path(peteris)
    assert client.get(manage_path(peteris)).status_code == 200
    notice = text_of(by_address[event.contact_email])
    assert "Pēteris Kalniņš <peteris@example.lv>" in notice and "Marta Kalniņa" in notice
