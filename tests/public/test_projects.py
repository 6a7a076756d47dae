"""A project's page is built from its data: facts, texts, events, results, news, funding."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from registration.models import Attendance, ProjectStatus
from registration.services import documents, uploads
from registration.services.documents import DocumentDetails
from registration.timeutil import frozen_time

from .. import sample_files as files

NOW = datetime(2030, 5, 10, 9, 0, tzinfo=UTC)


def _document(project, title, data, name, event=None):
    upload = uploads.Upload(name, io.BytesIO(data))
    details = DocumentDetails(
        title=title, project_id=project.id, event_id=event.id if event else None
    )
    return documents.add_document(details, upload, actor=None)


def test_the_project_page_shows_what_the_funder_registered(client, make_project):
    project = make_project(
        title="Iedzīvotāju stiprināšana par pilsonisko līdzdalību",
        goal="Stiprināt **izpratni** par līdzdalību.",
        target_groups="- aktīvi iedzīvotāji\n- NVO",
        implementation_place="Aizkraukles novads",
        funder="Sabiedrības integrācijas fonds",
    )
    with frozen_time(NOW):
        page = client.get(f"/projekti/{project.slug}").get_data(as_text=True)
    assert "<h1>Iedzīvotāju stiprināšana par pilsonisko līdzdalību</h1>" in page
    assert project.code in page
    assert "NVO fonds" in page and "Sabiedrības integrācijas fonds" in page
    assert "6\u00a0460,64\u00a0EUR" in page
    assert "100%" in page
    assert "<strong>izpratni</strong>" in page
    assert "<li>aktīvi iedzīvotāji</li>" in page
    assert "Finansējums: Latvijas valsts budžeta finansēta programma „NVO fonds”" in page


def test_its_events_upcoming_with_seats_past_with_how_many_took_part(
    client, make_project, make_event, make_registration
):
    project = make_project()
    upcoming = make_event(
        title="Domnīca Iršos", project=project, starts_at=datetime(2030, 6, 1, 7, 0, tzinfo=UTC)
    )
    past = make_event(
        title="Domnīca Secē", project=project, starts_at=datetime(2030, 4, 1, 7, 0, tzinfo=UTC)
    )
    for attendance in (Attendance.ATTENDED, Attendance.ATTENDED, Attendance.ABSENT):
        make_registration(past, attendance=attendance)
    make_event(title="Cita projekta domnīca", starts_at=datetime(2030, 6, 2, 7, 0, tzinfo=UTC))
    with frozen_time(NOW):
        page = client.get(f"/projekti/{project.slug}").get_data(as_text=True)
    assert "Domnīca Iršos" in page and "Brīvās vietas: 20" in page
    assert f'href="/notikumi/{upcoming.slug}#pieteikties"' in page
    assert "Domnīca Secē" in page and "2 dalībnieki" in page
    assert "Cita projekta domnīca" not in page


def test_results_with_their_type_and_size(client, make_project):
    project = make_project()
    report = _document(project, "Pārskats par NVO sektoru", files.a_pdf(), "parskats.pdf")
    _document(project, "Dalībnieku skaits", files.an_xlsx(), "skaits.xlsx")
    withdrawn = _document(project, "Vecs melnraksts", files.an_odt(), "vecs.odt")
    documents.set_published(withdrawn.id, False, actor=None)
    with frozen_time(NOW):
        page = client.get(f"/projekti/{project.slug}").get_data(as_text=True)
    assert f'href="/dokumenti/{report.id}">Pārskats par NVO sektoru</a>' in page
    assert "(PDF, " in page and "KB)" in page
    assert "(XLSX, " in page
    assert "Vecs melnraksts" not in page


def test_a_draft_project_has_no_public_page(client, make_project):
    draft = make_project(status=ProjectStatus.DRAFT)
    archived = make_project(status=ProjectStatus.ARCHIVED, title="Pabeigts projekts")
    assert client.get(f"/projekti/{draft.slug}").status_code == 404
    assert client.get(f"/projekti/{archived.slug}").status_code == 200
    listing = client.get("/projekti").get_data(as_text=True)
    assert "Pabeigts projekts" in listing and draft.title not in listing
    assert client.get("/projekti/nav-tada").status_code == 404
    assert client.get("/projekti/%00").status_code == 404


def test_event_pages_carry_the_funders_publicity(client, make_project, make_event):
    project = make_project()
    event = make_event(project=project, starts_at=datetime(2030, 6, 1, 7, 0, tzinfo=UTC))
    with frozen_time(NOW):
        page = client.get(f"/notikumi/{event.slug}").get_data(as_text=True)
    assert 'class="funding"' in page
    assert project.funding_line in page
    assert f'href="/projekti/{project.slug}"' in page
