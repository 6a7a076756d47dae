"""How our Excel tables print: A4 landscape, as wide as the page, the header on every page."""

from __future__ import annotations

from openpyxl.worksheet.worksheet import Worksheet


def print_setup(sheet) -> None:
    """Landscape A4, every column on the page's width (as many pages down as it takes), the
    first row repeated at the top of each printed page. Works on write-only sheets too."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
