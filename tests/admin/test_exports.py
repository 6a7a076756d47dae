"""Attendee lists read back with independent parsers (csv, openpyxl)."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import openpyxl
import pytest
import sqlalchemy as sa

from registration.extensions import db
from registration.models import (
    Attendance,
    AuditAction,
    AuditEntry,
    EventKind,
    Project,
    RegistrationStatus,
)
from registration.timeutil import to_riga


@pytest.fixture
def event(make_event, make_registration):
    project = Project(
        title="Iedzīvotāju līdzdalība Aizkraukles novadā",
        code="2021.LV/NVOF/MIC/031/10",
        funding_line="Finansējums: Latvijas valsts budžeta finansēta programma „NVO fonds”",
    )
    db.session.add(project)
    event = make_event(title="NVO domnīca Secē", project=project)
    make_registration(event, first_name="Ņina", last_name="Šķēle", organisation="Biedrība „Sēlis”")
    make_registration(
        event,
        first_name='=HYPERLINK("x")',
        last_name="Tālbergs",
        phone="+37126123456",
        organisation="+ jauniešu klubs",
        comment="-nav-",
    )
    make_registration(
        event, first_name="Ilze", last_name="Čakste", place="other", place_other="Rīga"
    )
    make_registration(
        event, first_name="Jānis", last_name="Cīrulis", status=RegistrationStatus.WAITLISTED
    )
    make_registration(
        event, first_name="Atcelts", last_name="Ābele", status=RegistrationStatus.CANCELLED
    )
    return event


def test_csv_has_bom_latvian_letters_order_and_no_formulas(admin_client, event):
    response = admin_client.get(f"/admin/events/{event.id}/participants.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    header, data = rows[0], rows[1:]
    assert header[:3] == ["Nr.", "Uzvārds", "Vārds"]
    assert [row[1] for row in data] == ["Cīrulis", "Čakste", "Šķēle", "Tālbergs"]
    by_surname = {row[1]: row for row in data}
    talbergs = dict(zip(header, by_surname["Tālbergs"], strict=True))
    assert talbergs["Vārds"] == '\'=HYPERLINK("x")'
    assert talbergs["Organizācija"] == "'+ jauniešu klubs"
    assert talbergs["Komentārs"] == "'-nav-"
    # Excel shows this as +37126123456; a bare +37126123456 would lose its plus and an
    # apostrophe would be shown.
    assert talbergs["Tālrunis"] == '="+37126123456"'
    assert b'"=""+37126123456"""' in body
    assert by_surname["Šķēle"][2] == "Ņina"
    assert by_surname["Čakste"][5] == "Rīga"
    assert by_surname["Cīrulis"][7] == "Gaidīšanas sarakstā"
    assert by_surname["Cīrulis"][8] == "1"


def test_xlsx_has_real_dates_frozen_header_filter_and_widths(admin_client, event):
    response = admin_client.get(f"/admin/events/{event.id}/participants.xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.get_data()))
    sheet = book.active
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}5"
    header = [cell.value for cell in sheet[1]]
    assert header[:3] == ["Nr.", "Uzvārds", "Vārds"]
    rows = {row[1]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["Šķēle"][2] == "Ņina"
    talbergs = dict(zip(header, rows["Tālbergs"], strict=True))
    # Text cells, shown exactly as typed and never evaluated: no apostrophe needed.
    assert talbergs["Vārds"] == '=HYPERLINK("x")'
    assert talbergs["Tālrunis"] == "+37126123456"
    assert talbergs["Organizācija"] == "+ jauniešu klubs"
    assert talbergs["Komentārs"] == "-nav-"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    (talbergs_cells,) = [row for row in sheet.iter_rows() if row[1].value == "Tālbergs"]
    assert {cell.data_type for cell in talbergs_cells if isinstance(cell.value, str)} == {"s"}
    registered = rows["Šķēle"][header.index("Pieteikšanās laiks")]
    assert isinstance(registered, datetime)
    assert sheet.column_dimensions["B"].width >= len("Uzvārds")
    assert sheet.column_dimensions["E"].width > sheet.column_dimensions["A"].width


def test_scopes_and_the_audit_log(admin_client, event):
    response = admin_client.get(f"/admin/events/{event.id}/participants.csv?scope=all")
    assert "Ābele" in response.get_data().decode("utf-8-sig")
    assert admin_client.get(f"/admin/events/{event.id}/participants.csv?scope=x").status_code == 404
    entries = db.session.scalars(sa.select(AuditEntry)).all()
    assert [(e.action, e.details["format"], e.event_id) for e in entries] == [
        (AuditAction.EXPORTED, "csv", event.id)
    ]


def test_sign_in_sheet(admin_client, event, make_registration):
    page = admin_client.get(f"/admin/events/{event.id}/sign-in-sheet?blank=4").get_data(
        as_text=True
    )
    assert "Iedzīvotāju līdzdalība Aizkraukles novadā" in page
    assert "2021.LV/NVOF/MIC/031/10" in page
    assert "Finansējums: Latvijas valsts budžeta finansēta programma „NVO fonds”" in page
    assert "NVO domnīca Secē" in page
    assert "Tautas nams" in page
    for heading in ("Nr.", "Vārds, uzvārds", "Dzīvesvieta", "Organizācija", "Paraksts"):
        assert f">{heading}</th>" in page
    # Confirmed people only, surnames in Latvian order, then empty rows numbered on.
    order = [page.index(name) for name in ("Ilze Čakste", "Ņina Šķēle", "Tālbergs")]
    assert order == sorted(order)
    assert "Jānis Cīrulis" not in page and "Ābele" not in page
    assert page.count('class="blank-row"') == 4
    assert '<td class="col-no">7.</td>' in page
    assert "Biedrība „Sēlis”" in page
    day = to_riga(event.starts_at)
    assert f"{day.year}. gada {day.day}." in page


def test_passenger_list_by_stop(admin_client, make_event, make_registration):
    trip = make_event(kind=EventKind.STUDY_TRIP, stops=[("Pļaviņas", 60), ("Aizkraukle", 30)])
    first, second = trip.pickup_stops
    make_registration(
        trip, first_name="Anna", last_name="Zariņa", pickup_stop=second, phone="+37126000001"
    )
    make_registration(
        trip, first_name="Pēteris", last_name="Ābols", pickup_stop=first, phone="+37126000002"
    )
    make_registration(trip, first_name="Bez", last_name="Pieturas")
    page = admin_client.get(f"/admin/events/{trip.id}/passengers").get_data(as_text=True)
    assert (
        page.index("Pļaviņas")
        < page.index("Ābols")
        < page.index("Aizkraukle")
        < page.index("Zariņa")
    )
    assert "+37126000001" in page
    assert "Pieturvieta nav izvēlēta" in page
    assert "Kopā 3 pasažieri" in page
    assert admin_client.get(f"/admin/events/{make_event().id}/passengers").status_code == 404
    body = admin_client.get(f"/admin/events/{trip.id}/participants.csv").get_data()
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    stop_column = rows[0].index("Pieturvieta")
    # Ābols, Pieturas, Zariņa.
    assert [row[stop_column] for row in rows[1:]] == [
        f"{to_riga(first.departs_at):%H:%M} Pļaviņas",
        "",
        f"{to_riga(second.departs_at):%H:%M} Aizkraukle",
    ]


def test_attendance_column_and_attended_scope(admin_client, event):
    from registration.models import Registration

    nina = db.session.scalar(sa.select(Registration).where(Registration.first_name == "Ņina"))
    nina.attendance = Attendance.ATTENDED
    db.session.commit()
    body = admin_client.get(f"/admin/events/{event.id}/participants.csv?scope=attended").get_data()
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert [row[1] for row in rows[1:]] == ["Šķēle"]
    assert rows[1][-1] == "Ieradies"
