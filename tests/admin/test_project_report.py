"""The funder's report in the back office: the page, its downloads and the evidence pack,
against the figures counted by hand in tests/report_scenario.py."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from pypdf import PdfReader

from registration.extensions import db
from registration.models import AuditAction, AuditEntry, Document, Post, PostStatus
from registration.services import unit_of_work, uploads
from registration.timeutil import frozen_time
from tests import report_scenario
from tests import sample_files as files
from tests.factories import make_project


@pytest.fixture
def scenario(app):
    with frozen_time(report_scenario.NOW):
        yield report_scenario.build()


def page_text(response) -> str:
    html = response.get_data(as_text=True)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def download(client, url: str) -> tuple[int, bytes, dict]:
    """Status, body and headers of a download, its file closed."""
    response = client.get(url)
    try:
        return response.status_code, response.get_data(), dict(response.headers)
    finally:
        response.close()


def exports_recorded() -> list[str]:
    query = sa.select(AuditEntry).where(AuditEntry.action == AuditAction.EXPORTED)
    return [entry.details["format"] for entry in db.session.scalars(query.order_by(AuditEntry.id))]


def add_results(project) -> None:
    """A published result document and a post with a photo, stored as uploads are."""
    with unit_of_work():
        pdf_file = uploads.store(
            uploads.Upload("parskats.pdf", io.BytesIO(files.a_pdf("Pārskats"))),
            uploads.Purpose.DOCUMENT,
        )
        photo = uploads.store(
            uploads.Upload("foto.jpg", io.BytesIO(files.a_picture())), uploads.Purpose.PHOTO
        )
        db.session.add(
            Document(project=project, title="NVO sektora izpēte: Aizkraukles novads", file=pdf_file)
        )
        db.session.add(
            Post(
                slug="jauna-pieredze",
                title="Jauna pieredze Jaunolainē un Mežiniekos",
                status=PostStatus.PUBLISHED,
                project=project,
                photo=photo,
                published_at=datetime(2021, 10, 20, 9, 0, tzinfo=UTC),
            )
        )


def test_the_page_shows_the_hand_counted_figures_and_flags_unmarked_attendance(
    organiser_client, scenario
):
    response = organiser_client.get(f"/admin/projects/{scenario.project.id}/report")
    assert response.status_code == 200
    text = page_text(response)
    assert "1 aktivitātē nav atzīmēts apmeklējums." in text
    assert f'href="/admin/events/{scenario.s1.id}/checkin"' in response.get_data(as_text=True)
    # The project's total row: 14 registrations, 12 confirmed, 8 attended, 88.9 %.
    assert re.search(r"Projektā kopā: 4 14 12 8 88\.9% 2 1 2", text)
    assert "Domnīca Secē" in text and "Nav ieskaitīti" in text
    assert re.search(r"Dažādi cilvēki, kas ieradās 6 ", text)


def test_the_overview_page_agrees_with_the_report(organiser_client, scenario):
    text = page_text(organiser_client.get(f"/admin/overview?project={scenario.project.id}"))
    # Registrations, confirmed, waiting, attended: the cancelled think tank's two confirmed
    # people are not among them.
    assert re.search(r"Pieteikumi 14 Apstiprināti 12 Gaida 1 Ir klāt 8 ", text)
    assert "Domnīca Secē" in text  # listed apart, not counted


def test_a_period_and_its_mistakes(organiser_client, scenario):
    url = f"/admin/projects/{scenario.project.id}/report"
    september = organiser_client.get(url + "?starts_on=2021-09-01&ends_on=2021-09-30")
    assert re.search(r"Projektā kopā: 3 12 10 6 ", page_text(september))
    empty = organiser_client.get(url + "?starts_on=2025-01-01&ends_on=2025-12-31")
    assert empty.status_code == 200
    assert "Šajā periodā aktivitāšu nebija." in page_text(empty)
    backwards = organiser_client.get(url + "?starts_on=2021-09-30&ends_on=2021-09-01")
    assert backwards.status_code == 422
    assert "Periods nevar beigties pirms sākuma." in page_text(backwards)
    nonsense = organiser_client.get(url + "?starts_on=vakar")
    assert nonsense.status_code == 422
    assert "Ierakstiet datumu" in page_text(nonsense)
    download = organiser_client.get(
        f"/admin/projects/{scenario.project.id}/report.pdf?starts_on=vakar"
    )
    assert download.status_code == 302 and "report?starts_on=vakar" in download.location
    assert exports_recorded() == []


def test_a_project_without_events(organiser_client, app):
    project = make_project(title="Tukšs projekts")
    response = organiser_client.get(f"/admin/projects/{project.id}/report")
    assert response.status_code == 200
    assert "Šajā periodā aktivitāšu nebija." in page_text(response)
    status, body, _ = download(organiser_client, f"/admin/projects/{project.id}/evidence.zip")
    assert status == 200
    names = zipfile.ZipFile(io.BytesIO(body)).namelist()
    assert names[0] == "README.txt" and any(n.endswith(".pdf") for n in names)


def test_every_download_is_recorded(organiser_client, scenario):
    base = f"/admin/projects/{scenario.project.id}"
    for path in (
        "report.xlsx",
        "report.pdf",
        "participants.csv",
        "participants.xlsx",
        "evidence.zip",
    ):
        status, _, headers = download(organiser_client, f"{base}/{path}")
        assert status == 200, path
        assert "attachment" in headers["Content-Disposition"]
    assert exports_recorded() == [
        "report_xlsx",
        "report_pdf",
        "project_csv",
        "project_xlsx",
        "evidence_pack",
    ]


def test_the_report_workbook_download_has_the_totals(organiser_client, scenario):
    body = organiser_client.get(f"/admin/projects/{scenario.project.id}/report.xlsx").get_data()
    total = list(load_workbook(io.BytesIO(body)).worksheets[0].values)[-1]
    assert total[5:8] == (14, 12, 8)


def test_one_participant_table_across_the_activities(organiser_client, scenario):
    body = organiser_client.get(f"/admin/projects/{scenario.project.id}/participants.csv")
    rows = list(csv.reader(io.StringIO(body.get_data().decode("utf-8-sig")), delimiter=";"))
    header, rows = rows[0], rows[1:]
    assert header[:6] == ["Nr.", "Datums", "Veids", "Aktivitāte", "Uzvārds", "Vārds"]
    # 14 registrations of the four activities: not the junk one, not the cancelled or draft
    # events', not the other organiser's event.
    assert len(rows) == 14
    assert {row[3] for row in rows} == {
        "Domnīca Mazzalvē",
        "Domnīca Neretā",
        "Seminārs par iedzīvotāju padomēm",
        "Pieredzes brauciens uz Sēliju",
    }
    assert rows[0][1] == "2021-09-15"
    book = load_workbook(
        io.BytesIO(
            organiser_client.get(
                f"/admin/projects/{scenario.project.id}/participants.xlsx"
            ).get_data()
        )
    )
    sheet = book.active
    assert sheet.max_row == 15
    assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$1:$1"


def test_the_evidence_pack(organiser_client, scenario):
    add_results(scenario.project)
    status, body, headers = download(
        organiser_client, f"/admin/projects/{scenario.project.id}/evidence.zip"
    )
    assert status == 200
    assert headers["Content-Disposition"] == (
        "attachment; filename=Pieradijumi_2021.LV_NVOF_MIC_031_10_2021-12-01.zip"
    )
    archive = zipfile.ZipFile(io.BytesIO(body))
    assert archive.testzip() is None
    names = archive.namelist()
    assert names == [
        "README.txt",
        "Parskats/Aktivitasu_parskats.xlsx",
        "Parskats/Aktivitasu_parskats.pdf",
        "Dalibnieku_saraksti/Domnica_Mazzalve_2021-09-15.pdf",
        "Dalibnieku_saraksti/Domnica_Nereta_2021-09-22.pdf",
        "Dalibnieku_saraksti/Seminars_par_iedzivotaju_padomem_2021-09-24.pdf",
        "Dalibnieku_saraksti/Pieredzes_brauciens_uz_Seliju_2021-10-19.pdf",
        "Publicitate/Publicitates_raksti.pdf",
        "Rezultati/NVO_sektora_izpete_Aizkraukles_novads.pdf",
        "Fotografijas/2021-10-20_Jauna_pieredze_Jaunolaine_un_Meziniekos.jpg",
    ]
    assert all(re.fullmatch(r"[A-Za-z0-9._/-]+", name) for name in names)
    readme = archive.read("README.txt").decode("utf-8-sig")
    assert "\r\n" in readme
    assert "Dalibnieku_saraksti/Domnica_Mazzalve_2021-09-15.pdf" in readme
    assert "Dalībnieku saraksts: Domnīca Mazzalvē, 15.09.2021." in readme

    sheet = pdf_text(archive.read("Dalibnieku_saraksti/Domnica_Mazzalve_2021-09-15.pdf"))
    assert "Anna Ābele" in sheet and "Pēteris Kļaviņš" in sheet and "Inese Ērgle" in sheet
    assert "Jānis Ozols" not in sheet  # marked absent
    assert "8." in sheet  # three who came and five empty rows
    assert "Finansējums: Latvijas valsts budžeta finansēta programma „NVO fonds”" in sheet
    unmarked = pdf_text(
        archive.read("Dalibnieku_saraksti/Seminars_par_iedzivotaju_padomem_2021-09-24.pdf")
    )
    assert "Apmeklējums nav atzīmēts" in unmarked and "Jānis Ozols" in unmarked

    posts = pdf_text(archive.read("Publicitate/Publicitates_raksti.pdf"))
    assert "Jauna pieredze Jaunolainē un Mežiniekos" in posts
    assert "20.10.2021." in posts and "/jaunumi/jauna-pieredze" in posts
    assert archive.read("Rezultati/NVO_sektora_izpete_Aizkraukles_novads.pdf").startswith(b"%PDF")
    report_text = pdf_text(archive.read("Parskats/Aktivitasu_parskats.pdf"))
    assert "Ābele" not in report_text and "Projektā kopā: 4" in report_text
