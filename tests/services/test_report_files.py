"""The activity report as Excel and PDF, read back with openpyxl and pypdf."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from registration.services import report, report_files, unit_of_work, uploads
from registration.services.report import Period
from registration.timeutil import frozen_time
from tests import report_scenario
from tests import sample_files as files
from tests.factories import make_project


@pytest.fixture
def scenario(app):
    with frozen_time(report_scenario.NOW), app.test_request_context():
        yield report_scenario.build()


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_workbook_holds_the_hand_counted_figures(scenario):
    book = load_workbook(io.BytesIO(report_files.to_xlsx(report.build(scenario.project))))
    activities = list(book.worksheets[0].values)
    assert activities[0][:8] == (
        "Veids",
        "Datums",
        "Aktivitāte",
        "Vieta",
        "Plānotais vietu skaits",
        "Pieteikumi",
        "Apstiprināti",
        "Ir klāt",
    )
    t1 = activities[1]
    assert t1[2:] == (
        "Domnīca Mazzalvē",
        "Tautas nams, Mazzalves pagasts",
        4,
        6,
        4,
        3,
        0.75,
        1,
        1,
        1,
    )
    seminar = activities[3]
    assert seminar[7:9] == (None, None)  # no attendance marked: empty, not 0
    total = activities[-1]
    assert total[2] == "Projektā kopā: 4"
    assert total[5:] == (14, 12, 8, pytest.approx(8 / 9), 2, 1, 2)
    places = [row[:3] for row in book.worksheets[1].values]
    assert places[1] == ("Ērgļi", 1, 1)
    people = dict(row for row in book.worksheets[2].values if row[1] is not None)
    assert people["Dažādi cilvēki, kas ieradās"] == "6"
    assert people["Dažādas organizācijas"] == 2


def test_the_workbook_prints_landscape_fit_to_width_with_the_header_on_each_page(scenario):
    book = load_workbook(io.BytesIO(report_files.to_xlsx(report.build(scenario.project))))
    sheet = book.worksheets[0]
    assert sheet.page_setup.orientation == "landscape"
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$1:$1"


def test_the_pdf_has_the_latvian_letters_the_figures_and_no_names(scenario):
    text = pdf_text(report_files.to_pdf(report.build(scenario.project)))
    assert "Iedzīvotāju stiprināšana par pilsonisko līdzdalību" in text
    assert "2021.LV/NVOF/MIC/031/10" in text
    assert "Finansējums: Latvijas valsts budžeta finansēta programma „NVO fonds”" in text
    assert "Pieredzes brauciens uz Sēliju" in text
    assert "Projektā kopā: 4" in text
    assert "88,9%" in text  # 8 of 9
    assert "Ērgļi" in text
    assert "1. lpp. no 1" in text or "1. lpp. no 2" in text
    assert "Domnīca Secē" in text  # named among those not counted
    for name in ("Ābele", "Ozols", "Kļaviņš", "anna@example.lv"):
        assert name not in text


def test_an_empty_report_is_still_a_document(scenario):
    empty = report.build(make_project(title="Jauns projekts"))
    text = pdf_text(report_files.to_pdf(empty))
    assert "Šajā periodā aktivitāšu nebija." in text
    book = load_workbook(io.BytesIO(report_files.to_xlsx(empty)))
    assert list(book.worksheets[0].values)[-1][2] == "Projektā kopā: 0"
    period = report.build(scenario.project, Period(date(2030, 1, 1), date(2030, 1, 31)))
    assert "01.01.2030.–31.01.2030." in pdf_text(report_files.to_pdf(period))


def test_the_funders_logo_is_printed_beside_the_funding_line(scenario):
    with unit_of_work():
        scenario.project.funder_logo = uploads.store(
            uploads.Upload("logo.png", io.BytesIO(files.a_picture("PNG"))), uploads.Purpose.LOGO
        )
    reader = PdfReader(io.BytesIO(report_files.to_pdf(report.build(scenario.project))))
    assert len(reader.pages[0].images) == 1
    text = reader.pages[0].extract_text()
    assert "Finansējums: Latvijas valsts budžeta finansēta programma „NVO fonds”" in text
