"""After the event: writing to those who came and to those who did not."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime, timedelta

import pytest

from registration.extensions import db
from registration.mail import messages, thanks
from registration.mail.sender import send_pending
from registration.models import Attendance, RegistrationStatus
from registration.services import documents, feedback, feedback_results, uploads
from registration.services.documents import DocumentDetails
from registration.timeutil import frozen_time
from tests import sample_files

from .helpers import html_of, rows, sign_up, text_of


def test_a_message_goes_to_those_who_attended_or_to_those_who_did_not_come(
    app, smtp_server, make_event
):
    event = make_event(capacity=3)
    came = sign_up(event, email="anna@example.lv")
    stayed_home = sign_up(event, email="janis@example.lv", first_name="Jānis")
    marked_absent = sign_up(event, email="liga@example.lv", first_name="Līga")
    sign_up(event, email="gaida@example.lv", status=RegistrationStatus.WAITLISTED)
    came.attendance = Attendance.ATTENDED
    marked_absent.attendance = Attendance.ABSENT
    db.session.commit()
    send_pending()
    before = len(smtp_server.received)

    assert messages.audience_sizes(event) == {
        "confirmed": 3,
        "waitlisted": 1,
        "all": 4,
        "attended": 1,
        "absent": 2,
    }
    assert messages.queue_participant_message(event, "attended", "Paldies", "Paldies!") == 1
    assert messages.queue_participant_message(event, "absent", "Žēl", "Pietrūka jūsu.") == 2
    db.session.commit()
    send_pending()

    received = [
        (str(r.message["Subject"]), r.message["To"].addresses[0].addr_spec)
        for r in smtp_server.received[before:]
    ]
    assert received == [
        ("Paldies", "anna@example.lv"),
        ("Žēl", stayed_home.email),
        ("Žēl", marked_absent.email),
    ]


# Thursday 24 September 2026, 10:00–12:00 in Riga; the form is open until 8 October.
STARTS = datetime(2026, 9, 24, 7, 0, tzinfo=UTC)
NEXT_DAY = datetime(2026, 9, 25, 9, 0, tzinfo=UTC)


@pytest.fixture
def finished_event(app, make_event, make_project):
    project = make_project()
    event = make_event(starts_at=STARTS, title="Domnīca Sēlpilī", project=project)
    slides = documents.add_document(
        DocumentDetails(title="Prezentācija „Kopienas”", project_id=project.id, event_id=event.id),
        uploads.Upload("slaidi.pdf", io.BytesIO(sample_files.a_pdf())),
        actor=None,
    )
    with app.test_request_context():
        feedback.set_up(event.id, feedback.FormSettings(closes_on=date(2026, 10, 8)), actor=None)
    return event, slides


def links_in(text: str) -> list[str]:
    return re.findall(r"https?://\S+", text)


def test_the_thank_you_brings_the_feedback_link_and_the_materials(
    app, client, smtp_server, finished_event, make_registration
):
    event, slides = finished_event
    came = make_registration(
        event, first_name="Ārija", last_name="Ozoliņa", attendance=Attendance.ATTENDED
    )
    make_registration(event, email="nenacis@example.lv")  # had a seat, did not come
    with frozen_time(NEXT_DAY):
        assert thanks.send_thanks(event.id, actor=None) == 1
        # Sent twice, it reaches nobody twice.
        assert thanks.send_thanks(event.id, actor=None) == 0
    send_pending()

    [received] = smtp_server.received
    message = received.message
    assert message["To"].addresses[0].addr_spec == came.email
    assert str(message["Subject"]) == "Paldies, ka piedalījāties: Domnīca Sēlpilī"
    text = text_of(message)
    assert "Organizatori jūsu atbildes saņems bez jūsu vārda." in text
    assert "Anketa ir atvērta līdz 2026. gada 8. oktobris, plkst. 23:59." in text
    assert f"- Prezentācija „Kopienas”: http://localhost/dokumenti/{slides.id}" in text
    [feedback_link] = [link for link in links_in(text) if "/atsauksme/" in link]
    assert f'href="{feedback_link}"' in html_of(message)
    assert "%%" not in text and "%%" not in html_of(message)

    path = feedback_link.removeprefix("http://localhost")
    rating, useful, _improve, again = feedback.asked_questions(event)
    with frozen_time(NEXT_DAY):
        page = client.get(path)
        assert page.status_code == 200
        assert rating.label_lv in page.get_data(as_text=True)
        sent = client.post(
            path,
            data={
                f"answers-q{rating.id}": "4",
                f"answers-q{useful.id}": "Kaimiņu pieredze",
                f"answers-q{again.id}": "yes",
            },
        )
        assert sent.status_code == 303
        again_page = client.get(path)
    assert "Paldies, jūsu atsauksme jau ir saņemta." in again_page.get_data(as_text=True)
    with app.test_request_context():
        results = feedback_results.event_results(event, "lv")
    assert results.responses == 1
    assert results.questions[0].average == 4.0
    assert results.questions[1].texts == [("Kaimiņu pieredze", "")]
    assert (results.questions[3].yes, results.questions[3].no) == (1, 0)


def test_the_scheduler_sends_the_thank_you_hours_after_the_end(
    app, smtp_server, finished_event, make_registration
):
    event, _slides = finished_event
    make_registration(event, attendance=Attendance.ATTENDED)
    with app.test_request_context():
        feedback.set_up(
            event.id,
            feedback.FormSettings(closes_on=date(2026, 10, 8), send_after_hours=20),
            actor=None,
        )
    ends = event.ends_at
    with frozen_time(ends + timedelta(hours=19, minutes=59)):
        assert thanks.queue_due_thanks() == 0
    with frozen_time(ends + timedelta(hours=20)):
        assert thanks.queue_due_thanks() == 1
        db.session.commit()
        assert thanks.queue_due_thanks() == 0
    assert [row.kind for row in rows(kind="thanks")] == ["thanks"]


def test_the_thanks_command_queues_what_is_due(app, runner, finished_event, make_registration):
    event, _slides = finished_event
    make_registration(event, attendance=Attendance.ATTENDED)
    with app.test_request_context():
        feedback.set_up(
            event.id,
            feedback.FormSettings(closes_on=date(2026, 10, 8), send_after_hours=0),
            actor=None,
        )
    with frozen_time(NEXT_DAY):
        first = runner.invoke(args=["mail", "thanks"])
        second = runner.invoke(args=["mail", "thanks"])
    assert first.output == "1 thank-you messages queued.\n"
    assert second.output == "0 thank-you messages queued.\n"
