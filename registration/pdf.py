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


@dataclass
class CertificateText:
    """What an attendance certificate says, already in the reader's language."""

    title: str
    #: "This certifies that", the person's name, "took part in", the event's title.
    lead: str
    name: str
    action: str
    event_title: str
    #: (label, value) lines: date, place, hours, project, funder.
    facts: list[tuple[str, str]]
    organisation: str
    signature_label: str
    issued: str
    footer: str = ""


def certificate(text: CertificateText, *, created: datetime | None = None) -> bytes:
    """A one-page A4 attendance certificate with a line for the organisation's signature."""
    pdf = _Document(text.footer)
    pdf.set_title(f"{text.title}: {text.name}")
    pdf.set_author(text.organisation)
    if created is not None:
        pdf.set_creation_date(created)
    pdf.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_margins(25, 30, 25)
    pdf.set_auto_page_break(True, margin=22)
    pdf.add_page()
    pdf.set_font(FAMILY, "", 11)
    pdf.multi_cell(0, 6, text.organisation, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(16)
    pdf.set_font(FAMILY, "B", 24)
    pdf.multi_cell(0, 12, text.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(12)
    pdf.set_font(FAMILY, "", 12)
    pdf.multi_cell(0, 7, text.lead, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font(FAMILY, "B", 18)
    pdf.multi_cell(0, 10, text.name, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font(FAMILY, "", 12)
    pdf.multi_cell(0, 7, text.action, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font(FAMILY, "B", 14)
    pdf.multi_cell(0, 8, text.event_title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(12)
    for label, value in text.facts:
        pdf.set_font(FAMILY, "B", 11)
        pdf.cell(45, 7, label)
        pdf.set_font(FAMILY, "", 11)
        pdf.multi_cell(0, 7, value, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(28)
    pdf.set_font(FAMILY, "", 10)
    pdf.cell(80, 6, "_" * 38, new_x="LMARGIN", new_y="NEXT")
    pdf.cell(80, 6, text.signature_label, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.cell(0, 6, text.issued, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
