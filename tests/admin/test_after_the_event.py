"""The back office after the event: the feedback page's figures against numbers worked out
by hand, the results workbook and the certificates' ZIP read back with independent readers,
the thank-you sent, and the audiences of a message."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from registration.extensions import db
from registration.models import Attendance, AuditAction, AuditEntry
from registration.privacy.erasure import erase_registration
from registration.services import feedback, tokens
from registration.timeutil import frozen_time

# Thursday 24 September 2026, 10:00–12:00 in Riga.
STARTS = datetime(2026, 9, 24, 7, 0, tzinfo=UTC)
NEXT_DAY = datetime(2026, 9, 25, 9, 0, tzinfo=UTC)


@pytest.fixture
def answered(app, make_event, make_registration):
    """Four answers from five people present; one person with a seat did not come."""
    event = make_event(starts_at=STARTS, title="Domnīca Sēlpilī")
    with app.test_request_context():
        feedback.set_up(event.id, feedback.FormSettings(closes_on=date(2026, 10, 8)), actor=None)
    rating, useful, improve, again = feedback.asked_questions(event)
    given = [
        {rating.id: 5, useful.id: "<script>alert(1)</script>", again.id: True},
        {rating.id: 4, improve.id: '=HYPERLINK("http://x")', again.id: True},
        {rating.id: 3, again.id: False},
        {rating.id: 5},
    ]
    people = [
        make_registration(event, first_name=name, attendance=Attendance.ATTENDED)
        for name in ("Anna", "Baiba", "Dace", "Egils", "Guna")
    ]
    make_registration(event, attendance=Attendance.ABSENT)
    with app.test_request_context(), frozen_time(NEXT_DAY):
        for person, values in zip(people, given, strict=False):
            feedback.submit(event.slug, tokens.feedback_token(person), values)
    return event, people


def test_the_results_page_shows_hand_computed_figures_without_names(organiser_client, answered):
    event, _people = answered
    response = organiser_client.get(f"/admin/events/{event.id}/feedback")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    # 4 of 5 present answered; (5 + 4 + 3 + 5) / 4 = 4.25; yes 2, no 1.
    assert "Atbildes sniegtas: 4 no 5 klātesošajiem." in page
    assert "vidēji 4,25" in page
    assert "Jā: 2 · Nē: 1" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert "Anonīmi: vārdi netiek rādīti." in page
    assert "Baiba" not in page


def test_the_workbook_holds_the_same_figures_and_texts_as_text(organiser_client, answered):
    event, _people = answered
    response = organiser_client.get(f"/admin/events/{event.id}/feedback.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    summary, texts = book.worksheets
    rows = [[cell.value for cell in row] for row in summary.iter_rows()]
    pairs = [row[:2] for row in rows]
    assert ["Apmeklētāju skaits", 5] in pairs and ["Saņemtās anketas", 4] in pairs
    by_label = {row[0]: row[1:] for row in rows[6:]}
    rating_label = feedback.asked_questions(event)[0].label_lv
    assert by_label[rating_label] == [4, 4.25, None, None]
    text_rows = [[cell.value for cell in row] for row in texts.iter_rows(min_row=2)]
    assert [row[1] for row in text_rows] == ["<script>alert(1)</script>", '=HYPERLINK("http://x")']
    # Text stays text: the cell is a string, never a formula.
    assert texts["B3"].data_type == "s"
    assert db.session.query(AuditEntry).filter_by(action=AuditAction.EXPORTED).count() == 1


def test_the_certificates_zip_has_one_pdf_per_person_present(organiser_client, answered):
    event, people = answered
    erase_registration(people[-1].id, actor=None)  # anonymised: no certificate
    with frozen_time(NEXT_DAY):
        response = organiser_client.get(f"/admin/events/{event.id}/certificates.zip")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert len(archive.namelist()) == 4
    names = set()
    for name in archive.namelist():
        text = PdfReader(io.BytesIO(archive.read(name))).pages[0].extract_text()
        assert "Domnīca Sēlpilī" in text
        names |= {first for first in ("Anna", "Baiba", "Dace", "Egils") if first in text}
    assert names == {"Anna", "Baiba", "Dace", "Egils"}


def test_one_certificate_is_refused_for_someone_absent(
    organiser_client, answered, make_registration
):
    event, people = answered
    absent = make_registration(event, attendance=Attendance.ABSENT)
    with frozen_time(NEXT_DAY):
        present = organiser_client.get(f"/admin/registrations/{people[0].id}/certificate.pdf")
        refused = organiser_client.get(
            f"/admin/registrations/{absent.id}/certificate.pdf", follow_redirects=True
        )
    assert present.data.startswith(b"%PDF")
    assert "Apliecinājums ir tikai tiem, kas atzīmēti kā pasākuma apmeklētāji." in refused.get_data(
        as_text=True
    )


def test_the_participant_screen_links_the_certificate_of_someone_present(
    organiser_client, answered, make_registration
):
    event, people = answered
    absent = make_registration(event, attendance=Attendance.ABSENT)
    link = f"/admin/registrations/{people[0].id}/certificate.pdf"
    with frozen_time(NEXT_DAY):
        present_page = organiser_client.get(f"/admin/registrations/{people[0].id}")
        absent_page = organiser_client.get(f"/admin/registrations/{absent.id}")
    assert link in present_page.get_data(as_text=True)
    assert "certificate.pdf" not in absent_page.get_data(as_text=True)


def test_settings_with_a_closing_day_before_the_event_are_refused(organiser_client, answered):
    event, _people = answered
    response = organiser_client.post(
        f"/admin/events/{event.id}/feedback",
        data={"closes_on": "2026-09-20", "send_after_hours": "abc"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Ierakstiet veselu skaitli" in page or "vesel" in page
    form = feedback.form_of(event)
    assert feedback.settings_of(event).closes_on == date(2026, 10, 8)
    response = organiser_client.post(
        f"/admin/events/{event.id}/feedback", data={"closes_on": "2026-09-20"}
    )
    assert response.status_code == 422
    assert "Anketas slēgšanas dienai jābūt pēc pasākuma beigām." in response.get_data(as_text=True)
    db.session.refresh(form)
    assert feedback.settings_of(event).closes_on == date(2026, 10, 8)


def test_sending_the_thank_you_from_the_page(organiser_client, answered):
    event, _people = answered
    with frozen_time(NEXT_DAY):
        response = organiser_client.post(
            f"/admin/events/{event.id}/feedback/send", follow_redirects=True
        )
    assert "Pateicība tiks nosūtīta 5 cilvēkiem." in response.get_data(as_text=True)


def test_the_message_form_offers_those_present_and_those_absent(organiser_client, answered):
    event, _people = answered
    page = organiser_client.get(f"/admin/events/{event.id}/message").get_data(as_text=True)
    page = " ".join(page.split())
    assert "apmeklētājiem (5)" in page
    assert "tiem, kam bija vieta, bet kuri neieradās (1)" in page
    response = organiser_client.post(
        f"/admin/events/{event.id}/message",
        data={"audience": "absent", "subject": "Žēl", "body": "Nākamreiz!"},
        follow_redirects=True,
    )
    assert "Ziņa tiks nosūtīta 1 cilvēkam." in response.get_data(as_text=True)


def test_the_closing_day_is_shown_as_set(organiser_client, answered):
    event, _people = answered
    page = organiser_client.get(f"/admin/events/{event.id}/feedback").get_data(as_text=True)
    assert 'value="2026-10-08"' in page


def test_organisers_edit_the_feedback_questions_with_the_question_screens(
    organiser_client, answered, client
):
    event, _people = answered
    added = organiser_client.post(
        f"/admin/events/{event.id}/feedback/questions/new",
        data={"kind": "short_text", "label_lv": "Kā uzzinājāt par pasākumu?"},
    )
    assert added.status_code == 302
    assert added.headers["Location"].endswith(f"/admin/events/{event.id}/feedback")
    refused = organiser_client.post(
        f"/admin/events/{event.id}/feedback/questions/new",
        data={"kind": "one_choice", "label_lv": "Izvēlieties", "choices-0-label_lv": "A"},
    )
    assert refused.status_code == 422
    assert "skaitli, tekstu vai" in refused.get_data(as_text=True)

    labels = [q.label_lv for q in feedback.asked_questions(event)]
    assert labels[-1] == "Kā uzzinājāt par pasākumu?" and len(labels) == 5
    # The sign-up form asks none of them.
    assert event.questions == []
    last = feedback.asked_questions(event)[-1]
    moved = organiser_client.post(f"/admin/questions/{last.id}/up")
    assert moved.headers["Location"].endswith(f"/admin/events/{event.id}/feedback")
    assert feedback.asked_questions(event)[-2].id == last.id


def test_a_projects_feedback_over_a_period(
    organiser_client, app, make_event, make_project, make_registration
):
    project = make_project()
    autumn = make_event(starts_at=STARTS, project=project, title="Rudens domnīca")
    spring = make_event(
        starts_at=datetime(2027, 3, 4, 8, 0, tzinfo=UTC), project=project, title="Pavasara domnīca"
    )
    with app.test_request_context():
        for event, ratings in ((autumn, [5, 2]), (spring, [4])):
            feedback.set_up(event.id, feedback.FormSettings(closes_on=date(2027, 4, 1)), actor=None)
            rating = feedback.asked_questions(event)[0]
            for value in ratings:
                person = make_registration(event, attendance=Attendance.ATTENDED)
                with frozen_time(datetime(2027, 3, 5, tzinfo=UTC)):
                    feedback.submit(event.slug, tokens.feedback_token(person), {rating.id: value})

    everything = organiser_client.get(f"/admin/projects/{project.id}/feedback")
    # (5 + 2 + 4) / 3 = 3.67
    assert "Vidējais vērtējums: 3,67 (no 3 vērtējumiem" in everything.get_data(as_text=True)
    autumn_only = organiser_client.get(
        f"/admin/projects/{project.id}/feedback?from=2026-09-01&to=2026-12-31"
    ).get_data(as_text=True)
    # (5 + 2) / 2 = 3.5
    assert "Vidējais vērtējums: 3,5 (no 2 vērtējumiem" in autumn_only
    assert "Rudens domnīca" in autumn_only and "Pavasara domnīca" not in autumn_only
    wrong = organiser_client.get(f"/admin/projects/{project.id}/feedback?from=2026-13-01&to=x")
    assert wrong.status_code == 400
    assert "Ierakstiet abas perioda dienas" in wrong.get_data(as_text=True)
