"""Small A4 PDFs with an embedded font that covers Latvian (ā č ē ģ ī ķ ļ ņ š ū ž).

fpdf2's built-in fonts know only Latin-1, so DejaVu Sans (shipped in registration/fonts,
Bitstream Vera licence) is embedded. Used for documents the app writes itself: the demo's
results, and printed reports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from fpdf import FPDF

FONTS = Path(__file__).resolve().parent / "fonts"
FAMILY = "DejaVu"


@dataclass
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)


def document(
    *,
    title: str,
    subtitle: str = "",
    sections: list[Section],
    footer: str = "",
    author: str = "",
    created: datetime | None = None,
) -> bytes:
    """An A4 document: a title, sections of paragraphs and bullet lists, a footer line on
    every page (e.g. the funder's funding line)."""
    pdf = _Document(footer)
    pdf.set_title(title)
    if author:
        pdf.set_author(author)
    if created is not None:
        pdf.set_creation_date(created)
    pdf.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(True, margin=22)
    pdf.add_page()
    pdf.set_font(FAMILY, "B", 18)
    pdf.multi_cell(0, 9, title, new_x="LMARGIN", new_y="NEXT")
    if subtitle:
        pdf.ln(2)
        pdf.set_font(FAMILY, "", 11)
        pdf.multi_cell(0, 6, subtitle, new_x="LMARGIN", new_y="NEXT")
    for section in sections:
        pdf.ln(5)
        pdf.set_font(FAMILY, "B", 13)
        pdf.multi_cell(0, 7, section.heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FAMILY, "", 11)
        for paragraph in section.paragraphs:
            pdf.ln(1.5)
            pdf.multi_cell(0, 6, paragraph, new_x="LMARGIN", new_y="NEXT")
        for bullet in section.bullets:
            pdf.ln(1)
            pdf.multi_cell(0, 6, f"•  {bullet}", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


class _Document(FPDF):
    def __init__(self, footer_text: str) -> None:
        super().__init__(format="A4")
        self.footer_text = footer_text

    def footer(self) -> None:
        self.set_y(-16)
        self.set_font(FAMILY, "", 8)
        self.set_text_color(90, 90, 90)
        if self.footer_text:
            self.multi_cell(0, 4, self.footer_text, align="C", new_x="LMARGIN", new_y="NEXT")
        self.cell(0, 4, str(self.page_no()), align="C")
