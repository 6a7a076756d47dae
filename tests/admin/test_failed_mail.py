"""Email the mail server refused: organisers see it, with the server's reason, and send it
again. The rows are real: written by a registration, refused by a real SMTP server on
loopback (aiosmtpd), delivered by the real sender after the retry."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from registration.extensions import db
from registration.mail.sender import send_pending
from registration.models import AuditAction, AuditEntry, OutboxState
from tests.factories import PASSWORD, make_outbox_message
from tests.mail.helpers import rows
from tests.mail.smtp import SmtpServer, smtp_config

REFUSED = "vecs@example.lv"
REASON = "550 5.1.1 Mailbox unavailable"
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@pytest.fixture
def smtp_server():
    server = SmtpServer()
    server.start()
    yield server
    server.close()


@pytest.fixture
def app_config(smtp_server) -> dict:
    return smtp_config(smtp_server.port)


@pytest.fixture
def refused_confirmation(organiser_client, make_event, smtp_server):
    """A participant added by hand whose confirmation the mail server refuses for good."""
    smtp_server.handler.refuse[REFUSED] = REASON
    event = make_event(title="NVO domnīca Secē")
    response = organiser_client.post(
        f"/admin/events/{event.id}/participants/new",
        data={"first_name": "Vilis", "last_name": "Vecais", "email": REFUSED,
              "place": "Seces pagasts", "language": "lv"},
    )  # fmt: skip
    assert response.status_code == 302
    report = send_pending()
    assert report.failed == 1
    (row,) = rows()
    assert row.state is OutboxState.FAILED
    return event, row


def test_failed_mail_is_shown_with_the_servers_reason(organiser_client, refused_confirmation):
    event, row = refused_confirmation
    page = organiser_client.get("/admin/mail/failed").get_data(as_text=True)
    assert REFUSED in page and "Vilis Vecais" in page
    assert "Pieteikums apstiprināts: NVO domnīca Secē" in page  # the subject
    assert f'href="/admin/events/{event.id}">NVO domnīca Secē</a>' in page
    assert REASON in page
    assert '<td class="num">1</td>' in page  # attempts
    assert f'action="/admin/mail/{row.id}/retry"' in page
    # Every screen's navigation says there is undelivered mail, and the event page links to it.
    assert "Nepiegādātie e-pasti (1)" in organiser_client.get("/admin/").get_data(as_text=True)
    event_page = organiser_client.get(f"/admin/events/{event.id}").get_data(as_text=True)
    assert f'href="/admin/mail/failed?event={event.id}"' in event_page
    assert "1 e-pastu dalībniekiem neizdevās piegādāt." in event_page
    # One event's list holds only its own.
    other = organiser_client.get(f"/admin/mail/failed?event={event.id + 1000}")
    assert other.status_code == 404


def test_send_again_delivers_it_and_is_recorded(
    organiser_client, organiser, refused_confirmation, smtp_server
):
    event, row = refused_confirmation
    del smtp_server.handler.refuse[REFUSED]  # the address was fixed at the other end
    response = organiser_client.post(
        f"/admin/mail/{row.id}/retry?event={event.id}", follow_redirects=True
    )
    assert response.request.path == "/admin/mail/failed"
    assert response.request.args["event"] == str(event.id)
    page = response.get_data(as_text=True)
    assert f"Vēstule adresātam {REFUSED} tiks nosūtīta vēlreiz." in page
    (again,) = rows()
    assert (again.state, again.attempts) == (OutboxState.PENDING, 0)
    entry = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (entry.action, entry.actor, entry.event_id) == (
        AuditAction.MESSAGE_SENT,
        organiser.email,
        event.id,
    )
    assert entry.details["retried_message"] == row.id
    assert entry.registration_id == row.registration_id

    assert send_pending().sent == 1
    (received,) = smtp_server.received
    assert received.rcpt_tos == [REFUSED]
    assert rows()[0].state is OutboxState.SENT
    assert "Nepiegādātie e-pasti (" not in organiser_client.get("/admin/").get_data(as_text=True)
    event_page = organiser_client.get(f"/admin/events/{event.id}").get_data(as_text=True)
    assert "/admin/mail/failed?event=" not in event_page

    # Pressed twice (an old page): the message is not queued a second time.
    page = organiser_client.post(f"/admin/mail/{row.id}/retry", follow_redirects=True).get_data(
        as_text=True
    )
    assert "Atkārtoti nosūtīt var tikai vēstuli, kuras nosūtīšana neizdevās." in page
    assert rows()[0].state is OutboxState.SENT
    assert organiser_client.post("/admin/mail/999999/retry").status_code == 404


def test_the_audit_log_says_what_was_sent_again(admin_client, make_event, smtp_server):
    smtp_server.handler.refuse[REFUSED] = REASON
    event = make_event(title="NVO domnīca Secē")
    admin_client.post(
        f"/admin/events/{event.id}/participants/new",
        data={"first_name": "Vilis", "last_name": "Vecais", "email": REFUSED,
              "place": "Seces pagasts", "language": "lv"},
    )  # fmt: skip
    send_pending()
    (row,) = rows()
    admin_client.post(f"/admin/mail/{row.id}/retry")
    page = admin_client.get("/admin/audit").get_data(as_text=True)
    assert "nosūtīja vēlreiz e-pastu, kuru neizdevās piegādāt" in page
    assert "Pieteikums apstiprināts: NVO domnīca Secē" in page


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_send_again_needs_the_form_token(client, organiser, make_event, make_registration):
    registration = make_registration(make_event())
    message = make_outbox_message(registration, state=OutboxState.FAILED)
    token = TOKEN.search(client.get("/admin/login").get_data(as_text=True))[1]
    client.post(
        "/admin/login", data={"email": organiser.email, "password": PASSWORD, "csrf_token": token}
    )
    assert client.post(f"/admin/mail/{message.id}/retry").status_code == 400
    assert rows()[0].state is OutboxState.FAILED
    page = client.get("/admin/mail/failed").get_data(as_text=True)
    token = TOKEN.search(page)[1]
    response = client.post(f"/admin/mail/{message.id}/retry", data={"csrf_token": token})
    assert response.status_code == 302
    assert rows()[0].state is OutboxState.PENDING
