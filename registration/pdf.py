"""Small A4 PDFs with an embedded font that covers Latvian (ā č ē ģ ī ķ ļ ņ š ū ž).

fpdf2's built-in fonts know only Latin-1, so DejaVu Sans (shipped in registration/fonts,
Bitstream Vera licence) is embedded. Used for documents the app writes itself: the demo's
results, and printed reports.
"""

from __future__ import annotations

import atexit
import functools
import logging
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.fonts import FontFace

# The subsetter says so of each table it leaves out (FFTM, a font tool's timestamp).
logging.getLogger("fontTools.subset").setLevel(logging.ERROR)

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


# -- reports and lists: tables, a letterhead with the funder's line and logo, page numbers --


@dataclass
class Letterhead:
    """What heads a report or list the funder receives; the funding line is printed again
    at the foot of every page."""

    #: Lines above the title: the project's name and number, the organisation.
    lines: list[str] = field(default_factory=list)
    #: The funder's line ("Finansējums: ...") printed under the lines and at each page's foot.
    funding_line: str = ""
    #: The funder's logo (PNG or JPEG file), printed beside the funding line.
    logo: Path | None = None


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    #: Relative widths of the columns.
    widths: list[float]
    #: "L" or "R" per column ("R" for figures).
    align: list[str] = field(default_factory=list)
    #: Rows (counting from 0) printed in bold, such as totals.
    bold_rows: frozenset[int] = frozenset()
    #: At least this tall (mm): room for a signature.
    row_height: float | None = None
    font_size: float = 9
    #: One line per cell, cut with "…" where it does not fit, drawn directly: ten times
    #: faster than a table whose cells wrap, for long lists (the sign-in sheets).
    plain: bool = False


@dataclass
class Heading:
    text: str


@dataclass
class Paragraph:
    text: str
    small: bool = False


Block = Heading | Paragraph | Table


def report(
    *,
    title: str,
    blocks: list[Block],
    letterhead: Letterhead,
    page_label: str,
    landscape: bool = False,
    author: str = "",
    created: datetime | None = None,
) -> bytes:
    """An A4 report of headings, paragraphs and tables under a letterhead.

    `page_label` numbers the pages; "{page}" and "{pages}" in it are replaced ("{page}. lpp.
    no {pages}"). A table's header row is repeated on every page it runs over.
    """
    pdf = _Report(letterhead, page_label, landscape)
    pdf.set_title(title)
    if author:
        pdf.set_author(author)
    if created is not None:
        pdf.set_creation_date(created)
    pdf.add_page()
    _letterhead(pdf, letterhead)
    pdf.set_font(FAMILY, "B", 16)
    pdf.multi_cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    for block in blocks:
        if isinstance(block, Heading):
            pdf.ln(4)
            pdf.set_font(FAMILY, "B", 12)
            pdf.multi_cell(0, 6, block.text, new_x="LMARGIN", new_y="NEXT")
        elif isinstance(block, Paragraph):
            pdf.ln(1.5)
            pdf.set_font(FAMILY, "", 8.5 if block.small else 10)
            pdf.multi_cell(0, 4.5 if block.small else 5, block.text, new_x="LMARGIN", new_y="NEXT")
        elif block.plain:
            pdf.ln(2)
            _Grid(pdf, block).draw()
        else:
            pdf.ln(2)
            _table(pdf, block)
    return bytes(pdf.output())


def _letterhead(pdf: FPDF, letterhead: Letterhead) -> None:
    pdf.set_font(FAMILY, "", 9)
    pdf.set_text_color(60, 60, 60)
    for line in letterhead.lines:
        pdf.multi_cell(0, 4.5, line, new_x="LMARGIN", new_y="NEXT")
    if letterhead.logo is not None or letterhead.funding_line:
        pdf.ln(1)
        top = pdf.get_y()
        indent = 0.0
        if letterhead.logo is not None:
            placed = pdf.image(str(letterhead.logo), x=pdf.l_margin, y=top, h=12)
            indent = 4 + placed.rendered_width
        if letterhead.funding_line:
            pdf.set_xy(pdf.l_margin + indent, top + 1)
            pdf.multi_cell(0, 4.5, letterhead.funding_line, new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(max(pdf.get_y(), top + (13 if letterhead.logo is not None else 0)))
    pdf.set_text_color(0, 0, 0)
    pdf.ln(3)


def _table(pdf: FPDF, table: Table) -> None:
    pdf.set_font(FAMILY, "", table.font_size)
    align = table.align or ["L"] * len(table.header)
    with pdf.table(
        col_widths=table.widths,
        text_align=tuple(align),
        line_height=table.font_size * 0.5,
        repeat_headings=1,
        min_row_height=table.row_height,
        padding=1,
        v_align="MIDDLE",
        headings_style=_HEADINGS,
    ) as grid:
        grid.row(table.header)
        for n, values in enumerate(table.rows):
            style = _BOLD if n in table.bold_rows else None
            grid.row(values, style=style)


class _Grid:
    """A plain table drawn with rectangles and text, its header again on each new page."""

    def __init__(self, pdf: FPDF, table: Table) -> None:
        self.pdf = pdf
        self.table = table
        scale = (pdf.w - pdf.l_margin - pdf.r_margin) / sum(table.widths)
        self.widths = [w * scale for w in table.widths]
        self.height = table.row_height or table.font_size * 0.6

    def draw(self) -> None:
        pdf, table = self.pdf, self.table
        self._row(table.header, bold=True)
        for n, values in enumerate(table.rows):
            if pdf.get_y() + self.height > pdf.page_break_trigger:
                pdf.add_page()
                self._row(table.header, bold=True)
            self._row(values, bold=n in table.bold_rows)

    def _row(self, values: list[str], *, bold: bool) -> None:
        pdf = self.pdf
        pdf.set_font(FAMILY, "B" if bold else "", self.table.font_size)
        x, y = pdf.l_margin, pdf.get_y()
        baseline = y + self.height / 2 + self.table.font_size * 0.35 * 0.5
        if bold:
            pdf.set_fill_color(230, 230, 230)
            pdf.rect(x, y, sum(self.widths), self.height, style="DF")
        else:
            pdf.rect(x, y, sum(self.widths), self.height)
        for width, text in zip(self.widths, values, strict=True):
            if x > pdf.l_margin:
                pdf.line(x, y, x, y + self.height)
            if text:
                pdf.text(x + 1.2, baseline, self._fit(text, width - 2.4))
            x += width
        pdf.set_y(y + self.height)

    def _fit(self, text: str, room: float) -> str:
        """`text`, cut with "…" to fit `room` mm."""
        if self._text_width(text) <= room:
            return text
        cut = text
        while cut and self._text_width(cut + "…") > room:
            cut = cut[:-1]
        return cut + "…"

    def _text_width(self, text: str) -> float:
        # The font's own advance widths (1/1000 em), summed: what get_string_width does,
        # without its overhead, which counted for a third of a long list's time.
        widths = self.pdf.current_font.cw
        return sum(widths[ord(char)] for char in text) * self.pdf.font_size / 1000


#: What the reports' font keeps of DejaVu Sans: Latin (Latvian, Lithuanian, Polish, German…),
#: Greek, Cyrillic, punctuation („ ” – … •), currency (€) and arrows.
EUROPEAN = (
    (0x20, 0x7E), (0xA0, 0x24F), (0x370, 0x3FF), (0x400, 0x4FF), (0x2000, 0x206F),
    (0x20A0, 0x20CF), (0x2100, 0x214F), (0x2190, 0x21FF), (0x2212, 0x2212), (0x25A0, 0x25FF),
)  # fmt: skip


@functools.cache
def european_fonts() -> dict[str, Path]:
    """DejaVu Sans cut down to `EUROPEAN`, made once per process in a temporary folder.

    fpdf2 reads a whole font file for every new document: the full DejaVu Sans (6,000
    glyphs) took a quarter of a second each time, and an evidence pack has a document per
    activity. A font of a sixth of the glyphs is read several times faster.
    """
    folder = Path(tempfile.mkdtemp(prefix="registration-fonts-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    codes = [code for first, last in EUROPEAN for code in range(first, last + 1)]
    options = subset.Options(glyph_names=True, name_IDs=["*"], notdef_outline=True)
    options.layout_features = []
    files = {}
    for style, name in (("", "DejaVuSans.ttf"), ("B", "DejaVuSans-Bold.ttf")):
        with TTFont(FONTS / name) as font:
            subsetter = subset.Subsetter(options)
            subsetter.populate(unicodes=codes)
            subsetter.subset(font)
            font.save(folder / name)
        files[style] = folder / name
    return files


class _Report(FPDF):
    def __init__(self, letterhead: Letterhead, page_label: str, landscape: bool) -> None:
        super().__init__(orientation="L" if landscape else "P", format="A4")
        self.letterhead = letterhead
        self.page_label = page_label
        fonts = european_fonts()
        self.add_font(FAMILY, "", str(fonts[""]))
        self.add_font(FAMILY, "B", str(fonts["B"]))
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(True, margin=20)
        self.alias_nb_pages("{nb}")

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(FAMILY, "", 7.5)
        self.set_text_color(90, 90, 90)
        if self.letterhead.funding_line:
            self.cell(0, 4, self.letterhead.funding_line, align="C", new_x="LMARGIN", new_y="NEXT")
        label = self.page_label.replace("{page}", str(self.page_no())).replace("{pages}", "{nb}")
        self.cell(0, 4, label, align="C")


_HEADINGS = FontFace(family=FAMILY, emphasis="B", fill_color=(230, 230, 230))
_BOLD = FontFace(family=FAMILY, emphasis="B")
