"""The printed lists, as Chromium prints them to PDF: A4 pages, every column on the paper.

Read back with pypdf: each page is A4; every piece of text starts inside the printable area;
every column heading is on every page (the heading row repeats); and every name and phone
number of the list is there in full, so no column was cut off at the edge.
"""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from .conftest import BUILD, LANGUAGES

A4_POINTS = (595.28, 841.89)
#: The lists' @page margins are 14 mm × 12 mm; the text must stay inside them.
MARGIN_POINTS = 12 / 25.4 * 72
PDF = BUILD / "pdf"

LISTS = {
    "sign-in sheet": "/admin/events/{trip[id]}/sign-in-sheet",
    "passenger list": "/admin/events/{trip[id]}/passengers",
}


def squash(text: str) -> str:
    """Text without its spaces and line breaks: a cell may wrap on paper."""
    return "".join(text.split())


def text_runs(page) -> list[tuple[str, float, float]]:
    """(text, x, y) of each run of text on a PDF page, in points from the lower left."""
    runs = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
            y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
            runs.append((text.strip(), x, y))

    page.extract_text(visitor_text=visit)
    return runs


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", LISTS)
def test_printed_list_fits_a4(name, language, site, contexts):
    page = contexts("organiser", language).new_page()
    try:
        page.goto(site.url(LISTS[name]))
        headings = [h.strip() for h in page.locator("main thead th").all_inner_texts()]
        cells = [c.strip() for c in page.locator("main tbody td").all_inner_texts() if c.strip()]
        page.emulate_media(media="print")
        PDF.mkdir(parents=True, exist_ok=True)
        path = PDF / f"{language}-{name.replace(' ', '-')}.pdf"
        page.pdf(path=path, prefer_css_page_size=True)
    finally:
        page.close()

    reader = PdfReader(path)
    assert reader.pages, "an empty PDF"
    everything = []
    for number, pdf_page in enumerate(reader.pages, start=1):
        box = pdf_page.mediabox
        assert (float(box.width), float(box.height)) == pytest.approx(A4_POINTS, abs=1), (
            f"page {number} is {box.width}×{box.height} pt, not A4"
        )
        runs = text_runs(pdf_page)
        outside = [
            text
            for text, x, y in runs
            if not (MARGIN_POINTS - 2 <= x <= A4_POINTS[0] - MARGIN_POINTS)
            or not 0 <= y <= A4_POINTS[1]
        ]
        assert not outside, f"page {number}: text outside the printable area: {outside}"
        page_text = squash("".join(text for text, _, _ in runs))
        missing = [h for h in headings if squash(h) not in page_text]
        assert not missing, f"page {number} lacks the column headings {missing}"
        everything.append(page_text)
    text = "".join(everything)
    cut = [cell for cell in cells if squash(cell) not in text]
    assert not cut, f"not on paper in full: {cut}"
