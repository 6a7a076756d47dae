"""Participant lists that leave the system, straight through the service and read back with
independent readers (the csv module, openpyxl): no cell runs as a formula, phone numbers show
as typed, names in Latvian order, Excel with Latvian settings opens the CSV directly."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import openpyxl
import pytest

from registration.models import Attendance, EventKind, RegistrationSource, RegistrationStatus
from registration.services import booking, exports
from registration.timeutil import frozen_time
from tests.factories import make_event, make_registration

#: 8 September 2027, 10:00 in Riga.
STARTS = datetime(2027, 9, 8, 7, 0, tzinfo=UTC)
#: When everyone registered: 1 September 2027, 12:30 in Riga.
REGISTERED = datetime(2027, 9, 1, 9, 30, tzinfo=UTC)

WAITING = RegistrationStatus.WAITLISTED
CANCELLED = RegistrationStatus.CANCELLED


@pytest.fixture
def event(app):
    """A think tank with people whose names and answers test every rule of the exports."""
    event = make_event(title="NVO domnīca Secē", starts_at=STARTS)
    with frozen_time(REGISTERED):
        people = [
            ("Ņina", "Šķēle", {"organisation": "Biedrība „Sēlis”", "wants_news": True}),
            ('=HYPERLINK("http://x")', "Tālbergs", {"phone": "+37126123456", "comment": "-nav-"}),
            ("Ilze", "Čakste", {"place": "other", "place_other": "Rīga", "needs": "@mājas"}),
            ("Anna", "Cīrule", {"organisation": "+ jauniešu klubs", "photo_opt_out": True}),
            ("Jānis", "Ābols", {"status": WAITING, "phone": "+4420794609581"}),
            ("Pēteris", "Ābele", {"status": WAITING, "comment": "\tTab sākumā"}),
            ("Atcelts", "Zariņš", {"status": CANCELLED}),
            ("Vilis", "Zvaigzne", {"attendance": Attendance.ATTENDED}),
            ("Ieva", "Ozola", {"source": RegistrationSource.WALK_IN, "email": ""}),
        ]
        for first, last, fields in people:
            make_registration(event, first_name=first, last_name=last, **fields)
    return event


def read_csv(data: bytes) -> list[dict[str, str]]:
    text = data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def read_xlsx(data: bytes):
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    header = [cell.value for cell in sheet[1]]
    rows = [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2)]
    return sheet, header, rows


# -- a cell never runs ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+ jauniešu klubs", "'+ jauniešu klubs"),
        ("-nav-", "'-nav-"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("\rCR", "'\rCR"),
        ("Anna = vadītāja", "Anna = vadītāja"),
        ("", ""),
    ],
)
def test_text_starting_like_a_formula_gets_an_apostrophe(typed, written):
    assert exports.neutralise(typed) == written
    assert exports.csv_text(typed) == written


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("+37126123456", "(+371) 26123456"),
        ("+4420794609581", "(+44) 20794609581"),
        ("+16502530000", "(+1) 6502530000"),
        # No calling code begins with 0.
        ("+0123456789", "'+0123456789"),
        # Not a phone number as the app stores it: neutralised like any other text.
        ("+371 26123456", "'+371 26123456"),
        ("+123456", "'+123456"),
        ("+1234567890123456", "'+1234567890123456"),
        ('+37126123456"&CMD', "'+37126123456\"&CMD"),
        ("26123456", "26123456"),
    ],
)
def test_a_stored_phone_number_has_its_calling_code_in_brackets_anything_else_is_neutralised(
    typed, written
):
    assert exports.csv_text(typed) == written


# -- CSV -------------------------------------------------------------------------------------


def test_csv_opens_in_latvian_excel_names_in_latvian_order(event):
    data = exports.to_csv(event)
    assert data.startswith(b"\xef\xbb\xbf")  # the byte order mark: Excel reads UTF-8
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    first_line = data.decode("utf-8-sig").split("\r\n")[0]
    # Every field quoted: LibreOffice splits at commas too, unless a field is quoted.
    assert first_line.startswith('"Nr.";"Uzvārds";"Vārds";"E-pasts";"Tālrunis";"Dzīvesvieta";')
    rows = read_csv(data)
    # Active registrations (confirmed and waiting), surname first: Ā with A, Č after C,
    # Š after S, Z before Ž; the cancelled person is not in the list.
    assert [(r["Nr."], r["Uzvārds"]) for r in rows] == [
        ("1", "Ābele"),
        ("2", "Ābols"),
        ("3", "Cīrule"),
        ("4", "Čakste"),
        ("5", "Ozola"),
        ("6", "Šķēle"),
        ("7", "Tālbergs"),
        ("8", "Zvaigzne"),
    ]


def test_csv_cells_as_a_spreadsheet_shows_them(event):
    rows = {r["Uzvārds"]: r for r in read_csv(exports.to_csv(event))}
    talbergs, cakste, cirule = rows["Tālbergs"], rows["Čakste"], rows["Cīrule"]
    assert talbergs["Vārds"] == '\'=HYPERLINK("http://x")'
    assert talbergs["Tālrunis"] == "(+371) 26123456"
    assert talbergs["Komentārs"] == "'-nav-"
    assert rows["Ābols"]["Tālrunis"] == "(+44) 20794609581"
    assert rows["Ābele"]["Komentārs"] == "'\tTab sākumā"
    assert cakste["Dzīvesvieta"] == "Rīga"
    assert cakste["Vajadzības"] == "'@mājas"
    assert cirule["Organizācija"] == "'+ jauniešu klubs"
    assert rows["Šķēle"]["Organizācija"] == "Biedrība „Sēlis”"
    assert (cirule["Nefotografēt"], rows["Šķēle"]["Ziņas e-pastā"]) == ("jā", "jā")
    assert (talbergs["Nefotografēt"], talbergs["Ziņas e-pastā"]) == ("", "")
    assert talbergs["Pieteikšanās laiks"] == "2027-09-01 12:30"  # Riga time
    # Both waited from the same moment: Jānis Ābols registered first.
    assert [rows[name]["Vieta gaidīšanas sarakstā"] for name in ("Ābols", "Ābele")] == ["1", "2"]
    assert rows["Ābele"]["Statuss"] == "Gaidīšanas sarakstā"
    assert (talbergs["Statuss"], talbergs["Vieta gaidīšanas sarakstā"]) == ("Apstiprināts", "")
    assert rows["Ozola"]["E-pasts"] == ""


def test_scopes_choose_the_rows(event):
    def surnames(scope):
        return [r["Uzvārds"] for r in read_csv(exports.to_csv(event, scope))]

    assert surnames("confirmed") == ["Cīrule", "Čakste", "Ozola", "Šķēle", "Tālbergs", "Zvaigzne"]
    assert surnames("attended") == ["Zvaigzne"]
    assert len(surnames("all")) == 9 and "Zariņš" in surnames("all")
    with pytest.raises(ValueError):
        exports.to_csv(event, "everyone")


def test_the_waiting_list_is_numbered_in_the_booking_rules_order(event):
    positions = exports.waiting_positions(event)
    waiting = [r for r in exports.registrations(event, "all") if r.status is WAITING]
    assert len(waiting) == 2
    for registration in waiting:
        assert positions[registration.id] == booking.waiting_position(registration)
    # Same moment of queueing: the earlier registration (lower id) is first.
    assert sorted(positions.values()) == [1, 2]


# -- Excel -----------------------------------------------------------------------------------


def test_xlsx_text_is_text_dates_are_dates(event):
    sheet, header, rows = read_xlsx(exports.to_xlsx(event))
    assert header[:4] == ["Nr.", "Uzvārds", "Vārds", "E-pasts"]
    assert [r["Uzvārds"].value for r in rows][:3] == ["Ābele", "Ābols", "Cīrule"]
    by_surname = {r["Uzvārds"].value: r for r in rows}
    talbergs = by_surname["Tālbergs"]
    # Shown exactly as typed, and never evaluated: every text is a text cell.
    assert talbergs["Vārds"].value == '=HYPERLINK("http://x")'
    assert talbergs["Tālrunis"].value == "+37126123456"
    assert talbergs["Komentārs"].value == "-nav-"
    assert by_surname["Cīrule"]["Organizācija"].value == "+ jauniešu klubs"
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert {c.data_type for c in cells if isinstance(c.value, str)} == {"s"}
    registered = talbergs["Pieteikšanās laiks"]
    assert registered.value == datetime(2027, 9, 1, 12, 30)  # Riga wall clock
    assert registered.number_format == exports.DATE_FORMAT
    assert talbergs["Nr."].value == 7 and isinstance(talbergs["Nr."].value, int)
    assert by_surname["Ābols"]["Vieta gaidīšanas sarakstā"].value == 1


def test_xlsx_header_frozen_filtered_and_printed_on_every_page(event):
    sheet, header, rows = read_xlsx(exports.to_xlsx(event))
    assert sheet.freeze_panes == "A2"
    last = openpyxl.utils.get_column_letter(len(header))
    assert sheet.auto_filter.ref == f"A1:{last}{len(rows) + 1}"
    assert sheet.print_title_rows == "$1:$1"
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.title == "NVO domnīca Secē"


def test_xlsx_drops_characters_a_workbook_cannot_hold(app):
    event = make_event(title="Kas? [Jā]: a/b\\c*" + "x" * 40)
    # (No NUL: PostgreSQL stores none, and the forms take control characters out anyway.)
    make_registration(event, first_name="An\x0bna\x07", last_name="Bēr\x1fziņa", comment="a\tb\nc")
    sheet, _, rows = read_xlsx(exports.to_xlsx(event))
    ((row),) = rows
    assert (row["Vārds"].value, row["Uzvārds"].value) == ("Anna", "Bērziņa")
    assert row["Komentārs"].value == "a\tb\nc"
    assert sheet.title == "Kas   Jā   a b c xxxxxxxxxxxxxx"
    assert len(sheet.title) == 31


def test_an_empty_list_is_a_header_alone(app):
    event = make_event()
    assert read_csv(exports.to_csv(event)) == []
    _, header, rows = read_xlsx(exports.to_xlsx(event))
    assert rows == [] and header[0] == "Nr."


# -- trips, names of files, printed lists ----------------------------------------------------


@pytest.fixture
def trip(app):
    trip = make_event(
        kind=EventKind.STUDY_TRIP,
        starts_at=STARTS,
        stops=[("Pļaviņas, autoosta", 60), ("Aizkraukle", 30), ("Koknese", 15)],
    )
    plavinas, aizkraukle, _ = trip.pickup_stops
    make_registration(trip, first_name="Anna", last_name="Zariņa", pickup_stop=aizkraukle)
    make_registration(trip, first_name="Pēteris", last_name="Ābols", pickup_stop=plavinas)
    make_registration(trip, first_name="Ēriks", last_name="Egle", pickup_stop=plavinas)
    make_registration(trip, first_name="Bez", last_name="Pieturas")
    make_registration(trip, first_name="Gaida", last_name="Āre", status=WAITING)
    return trip


def test_a_trip_has_a_stop_column_with_the_departure(trip):
    rows = read_csv(exports.to_csv(trip, "confirmed"))
    assert [(r["Uzvārds"], r["Pieturvieta"]) for r in rows] == [
        ("Ābols", "09:00 Pļaviņas, autoosta"),
        ("Egle", "09:00 Pļaviņas, autoosta"),
        ("Pieturas", ""),
        ("Zariņa", "09:30 Aizkraukle"),
    ]
    think_tank_header, _ = exports.table(make_event())
    assert "Pieturvieta" in exports.table(trip)[0]
    assert "Pieturvieta" not in think_tank_header


def test_the_passenger_list_goes_by_stop_in_route_order(trip):
    groups = exports.passenger_list(trip)
    assert [
        (g.stop.place if g.stop else None, [p.last_name for p in g.passengers]) for g in groups
    ] == [
        ("Pļaviņas, autoosta", ["Ābols", "Egle"]),
        ("Aizkraukle", ["Zariņa"]),
        ("Koknese", []),
        (None, ["Pieturas"]),
    ]


def test_the_sign_in_sheet_has_the_confirmed_and_a_bounded_number_of_blank_rows(event):
    sheet = exports.sign_in_sheet(event, blank_rows=4)
    assert [p.last_name for p in sheet.people] == [
        "Cīrule", "Čakste", "Ozola", "Šķēle", "Tālbergs", "Zvaigzne",
    ]  # fmt: skip
    assert sheet.blank_rows == 4
    assert exports.sign_in_sheet(event, blank_rows=-5).blank_rows == 0
    assert exports.sign_in_sheet(event, blank_rows=10_000).blank_rows == 60


def test_file_names_are_plain_latin_with_the_riga_date(app):
    event = make_event(
        title="NVO domnīca Secē: „Kopā”!", starts_at=datetime(2027, 9, 7, 22, 30, tzinfo=UTC)
    )
    assert exports.filename(event, "dalībnieki", "xlsx") == (
        "dalibnieki-nvo-domnica-sece-kopa-2027-09-08.xlsx"
    )


def test_openpyxl_writes_a_plain_string_starting_with_equals_as_a_formula():
    """Why the Excel table makes an explicit text cell for text starting with "=" (and only
    for it): openpyxl guesses a formula from the "=", and takes every other string as text.
    The day this fails, openpyxl has changed its guess: see what `exports.xlsx_text` still
    needs to do."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["=1+1", "+37126123456", "-nav-", "@mājas", "\tTab"])
    buffer = io.BytesIO()
    book.save(buffer)
    (row,) = openpyxl.load_workbook(buffer).active.iter_rows()
    assert [cell.data_type for cell in row] == ["f", "s", "s", "s", "s"]
