"""After the event, on the public side: the feedback form met with bad input, the attendance
certificate read back with pypdf, and the event's materials on its page."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

import pytest
from pypdf import PdfReader

from registration.extensions import db
from registration.models import Attendance, FeedbackAnswer, FeedbackResponse
from registration.privacy.erasure import erase_registration
from registration.services import documents, feedback, tokens, uploads
from registration.services.documents import DocumentDetails
from registration.timeutil import frozen_time

from .. import sample_files

# Thursday 24 September 2026, 10:00–13:30 in Riga.
STARTS = datetime(2026, 9, 24, 7, 0, tzinfo=UTC)
DURING = datetime(2026, 9, 24, 8, 0, tzinfo=UTC)
NEXT_DAY = datetime(2026, 9, 25, 9, 0, tzinfo=UTC)


@pytest.fixture
def event(app, make_event, make_project):
    project = make_project(title="Kopā Sēlijā", code="23-08-AL19", funder="Lauku atbalsta dienests")
    event = make_event(
        starts_at=STARTS,
        ends_at=STARTS + timedelta(hours=3, minutes=30),
        title="Domnīca Sēlpilī",
        venue_name="Sēlpils tautas nams",
        venue_address="Sēlpils pagasts",
        project=project,
    )
    with app.test_request_context():
        feedback.set_up(event.id, feedback.FormSettings(closes_on=date(2026, 10, 8)), actor=None)
    return event


def link(app, registration) -> str:
    with app.test_request_context():
        return (
            f"/notikumi/{registration.event.slug}/atsauksme/{tokens.feedback_token(registration)}"
        )


def nothing_stored() -> bool:
    return (
        db.session.query(FeedbackResponse).count() == 0 == db.session.query(FeedbackAnswer).count()
    )


@pytest.mark.parametrize(
    ("rating", "text", "message"),
    [
        ("7", "", "Lūdzu, ierakstiet skaitli no 1 līdz 5."),
        ("abc", "", "Lūdzu, ierakstiet veselu skaitli."),
        ("", "", "Lūdzu, atbildiet uz šo jautājumu."),
        ("5", "ā" * 10_000, "ne vairāk kā 3000 rakstzīmes"),
    ],
)
def test_bad_answers_are_explained_and_nothing_is_kept(
    app, client, event, make_registration, rating, text, message
):
    person = make_registration(event, attendance=Attendance.ATTENDED)
    rating_q, useful = feedback.asked_questions(event)[:2]
    with frozen_time(NEXT_DAY):
        response = client.post(
            link(app, person),
            data={f"answers-q{rating_q.id}": rating, f"answers-q{useful.id}": text},
        )
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert nothing_stored()


def test_another_events_link_a_closed_form_and_a_wrong_token_are_told_apart(
    app, client, event, make_event, make_registration
):
    other = make_event(starts_at=STARTS)
    stranger = make_registration(other, attendance=Attendance.ATTENDED)
    person = make_registration(event, attendance=Attendance.ATTENDED)
    with frozen_time(NEXT_DAY):
        wrong_event = client.get(link(app, stranger).replace(other.slug, event.slug))
        forged = client.get(f"/notikumi/{event.slug}/atsauksme/{person.id}-abc")
        too_early = None
    with frozen_time(DURING):
        too_early = client.get(link(app, person))
    with frozen_time(datetime(2026, 10, 9, 9, 0, tzinfo=UTC)):
        closed = client.post(link(app, person), data={})
    assert wrong_event.status_code == 404
    assert "Šī atsauksmes saite ir paredzēta citam pasākumam." in wrong_event.get_data(as_text=True)
    assert forged.status_code == 404
    assert too_early.status_code == 403
    assert "kad pasākums ir beidzies" in too_early.get_data(as_text=True)
    assert closed.status_code == 403
    assert "Atsauksmju anketa ir slēgta" in closed.get_data(as_text=True)
    assert nothing_stored()


def test_the_page_sends_no_referrer_and_is_not_indexed(app, client, event, make_registration):
    person = make_registration(event, attendance=Attendance.ATTENDED)
    with frozen_time(NEXT_DAY):
        response = client.get(link(app, person))
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert '<meta name="robots" content="noindex">' in response.get_data(as_text=True)


def private_token(app, registration) -> str:
    """Give a factory-made registration a working private link."""
    with app.test_request_context():
        token = tokens.assign_manage_token(registration)
    db.session.commit()
    return token


def certificate_text(response) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)


def test_the_certificate_names_the_person_the_event_and_the_funder(
    app, client, event, make_registration
):
    person = make_registration(
        event, first_name="Ģirts", last_name="Ķēniņš", attendance=Attendance.ATTENDED
    )
    token = private_token(app, person)
    with frozen_time(NEXT_DAY):
        page = client.get(f"/pieteikums/{token}")
        response = client.get(f"/pieteikums/{token}/apliecinajums.pdf")
    assert "Lejupielādēt dalības apliecinājumu (PDF)" in page.get_data(as_text=True)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert (
        response.headers["Content-Disposition"]
        == 'attachment; filename="apliecinajums-girts-kenins.pdf"'
    )
    text = certificate_text(response)
    for expected in (
        "Dalības apliecinājums",
        "Ģirts Ķēniņš",
        "piedalījās pasākumā",
        "Domnīca Sēlpilī",
        "2026. gada 24. septembris",
        "Sēlpils tautas nams, Sēlpils pagasts",
        "3,5 stundas",
        "Kopā Sēlijā (23-08-AL19)",
        "Lauku atbalsta dienests",
        "Organizācijas pārstāvja paraksts",
    ):
        assert expected in text, expected


@pytest.mark.parametrize("case", ["not marked", "absent", "before the end", "erased"])
def test_no_certificate_without_attendance_before_the_end_or_after_erasure(
    app, client, event, make_registration, case
):
    attendance = {"not marked": None, "absent": Attendance.ABSENT}.get(case, Attendance.ATTENDED)
    person = make_registration(event, attendance=attendance)
    token = private_token(app, person)
    if case == "erased":
        erase_registration(person.id, actor=None)
    moment = DURING if case == "before the end" else NEXT_DAY
    with frozen_time(moment):
        response = client.get(f"/pieteikums/{token}/apliecinajums.pdf")
        page = client.get(f"/pieteikums/{token}")
    if case == "erased":
        assert response.status_code == 404  # the private link itself no longer opens
        return
    assert response.status_code == 403
    assert not response.data.startswith(b"%PDF")
    assert "apliecinājum" in response.get_data(as_text=True).lower()
    assert "apliecinajums.pdf" not in page.get_data(as_text=True)


def test_materials_are_on_the_event_page_once_it_is_over(app, client, event):
    documents.add_document(
        DocumentDetails(title="Prezentācija", project_id=event.project_id, event_id=event.id),
        uploads.Upload("slaidi.pdf", io.BytesIO(sample_files.a_pdf())),
        actor=None,
    )
    with frozen_time(DURING):
        during = client.get(f"/notikumi/{event.slug}").get_data(as_text=True)
    with frozen_time(NEXT_DAY):
        after = client.get(f"/notikumi/{event.slug}").get_data(as_text=True)
    assert "Prezentācija" not in during
    assert "Pasākuma materiāli" in after and "Prezentācija" in after
