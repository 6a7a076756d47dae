"""The participant CSV opened in LibreOffice Calc, as a person with a fresh install would.

Calc converts the file headless into an Excel workbook, which openpyxl reads back cell by
cell. Skipped where LibreOffice (Debian: libreoffice-calc-nogui) is not installed.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import UTC, datetime

import openpyxl
import pytest

from registration.models import EventKind

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")

#: Calc's text import as installed: fields split at tabs, commas and semicolons, `"` quotes,
#: UTF-8, from the first row, no special numbers detected, quoted fields not forced to text,
#: and (the last option) formulas not evaluated.
STOCK = "CSV:9/44/59,34,76,1,,0,false,false,false,false,false,-1,false"
#: The same with "Evaluate formulas" ticked.
EVALUATING = "CSV:9/44/59,34,76,1,,0,false,false,false,false,false,-1,true"


def open_in_calc(csv_bytes: bytes, import_options: str, folder) -> openpyxl.Workbook:
    source = folder / "dalibnieki.csv"
    source.write_bytes(csv_bytes)
    subprocess.run(
        [
            SOFFICE, "--headless", "--norestore",
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            f"--infilter={import_options}", "--convert-to", "xlsx", "--outdir", str(folder),
            str(source),
        ],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return openpyxl.load_workbook(io.BytesIO((folder / "dalibnieki.xlsx").read_bytes()))


@pytest.mark.parametrize("import_options", [STOCK, EVALUATING], ids=["stock", "evaluating"])
def test_calc_shows_every_cell_as_written(
    admin_client, make_event, make_registration, tmp_path, import_options
):
    # 08:15 in Riga (UTC+3 in September): the stop leaves 30 minutes before the start.
    trip = make_event(
        kind=EventKind.STUDY_TRIP,
        starts_at=datetime(2027, 9, 24, 5, 45, tzinfo=UTC),
        stops=[("Skrīveri, stacija", 30)],
    )
    make_registration(
        trip, pickup_stop=trip.pickup_stops[0], first_name="=1+1", last_name="Ozols",
        organisation="a,=1+1", needs="+1+2", comment="-3+4", phone="+37126123456",
    )  # fmt: skip
    make_registration(trip, first_name="Anna", last_name="Bērziņa", phone="+442079460958")
    body = admin_client.get(f"/admin/events/{trip.id}/participants.csv").get_data()

    sheet = open_in_calc(body, import_options, tmp_path).active

    rows = [list(row) for row in sheet.iter_rows()]
    header = [cell.value for cell in rows[0]]
    assert header[:3] == ["Nr.", "Uzvārds", "Vārds"]
    # No field was split: nothing beyond the header's columns.
    assert all(cell.value is None for row in rows for cell in row[len(header) :])
    assert not [cell.coordinate for row in rows for cell in row if cell.data_type == "f"]
    people = {row[1].value: dict(zip(header, row, strict=False)) for row in rows[1:]}
    ozols, berzina = people["Ozols"], people["Bērziņa"]
    assert ozols["Pieturvieta"].value == "08:15 Skrīveri, stacija"
    assert ozols["Organizācija"].value == "a,=1+1"
    assert ozols["Vārds"].value == "'=1+1"
    assert (ozols["Vajadzības"].value, ozols["Komentārs"].value) == ("'+1+2", "'-3+4")
    assert (ozols["Tālrunis"].value, ozols["Tālrunis"].data_type) == ("(+371) 26123456", "s")
    assert (berzina["Tālrunis"].value, berzina["Tālrunis"].data_type) == (
        "(+44) 2079460958",
        "s",
    )
