"""The activity report as files: an Excel workbook and a PDF, holding counts and no names.

Both are made from the same tables (`activity_rows`, `place_rows`…), so the figures in them
are the report's own, and the screen shows the same `report.Report`.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import format_percent
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .. import pdf
from ..i18n import numeric_date
from ..labels import KIND_PLURALS, kind_label
from ..places import OTHER
from ..timeutil import now_utc
from . import letterheads
from .report import Activity, Period, Report
from .spreadsheets import print_setup
from .statistics import Figures

#: A cell: text, a whole number, a rate (0..1) or nothing.
Cell = str | int | float | None


@dataclass
class Rows:
    header: list[str]
    rows: list[list[Cell]]
    #: Rows (from 0) that are totals.
    totals: frozenset[int] = frozenset()


def period_text(period: Period) -> str:
    if period.is_open:
        return _("the whole project")
    start = numeric_date(period.starts_on) if period.starts_on else "…"
    end = numeric_date(period.ends_on) if period.ends_on else "…"
    return f"{start}–{end}"


def _venue(activity: Activity) -> str:
    event = activity.event
    if event.is_online:
        return _("online")
    return ", ".join(part for part in (event.venue_name, event.place or "") if part)


def _figures(f: Figures, walk_ins: int, waiting: int) -> list[Cell]:
    attended = f.attended if f.attendance_taken else None
    return [
        f.registrations,
        f.confirmed,
        attended,
        f.attendance_rate,
        walk_ins,
        f.cancelled,
        waiting,
    ]


def activity_rows(report: Report) -> Rows:
    header = [
        _("Kind"),
        _("Date"),
        _("Activity"),
        _("Place"),
        _("Planned capacity"),
        _("Registrations"),
        _("Confirmed registrations"),
        _("Attended"),
        _("Attendance rate"),
        _("Walk-ins"),
        _("Cancelled"),
        _("Waiting at the start"),
    ]
    rows: list[list[Cell]] = [
        [
            kind_label(a.event.kind),
            numeric_date(a.event.starts_at),
            a.event.title,
            _venue(a),
            a.event.capacity,
            *_figures(a.figures, a.walk_ins, a.waiting_at_start),
        ]
        for a in report.activities
    ]
    totals = []
    for kind in report.kinds:
        totals.append(len(rows))
        label = _("%(kind)s: %(count)s", kind=KIND_PLURALS[kind.kind], count=kind.activities)
        rows.append(
            ["", "", label, "", None, *_figures(kind.figures, kind.walk_ins, kind.waiting_at_start)]
        )
    totals.append(len(rows))
    label = _("Project in total: %(count)s", count=len(report.activities))
    rows.append(
        [
            "",
            "",
            label,
            "",
            None,
            *_figures(report.totals, report.walk_ins, report.waiting_at_start),
        ]
    )
    return Rows(header, rows, frozenset(totals))


def _place_name(name: str) -> str:
    if not name:
        return _("Not given")
    return _("Other") if name == OTHER else name


def place_rows(report: Report) -> Rows:
    header = [
        _("Place of residence"),
        _("Confirmed registrations"),
        _("Attended"),
        _("Different people who attended"),
    ]
    rows: list[list[Cell]] = [
        [_place_name(p.place), p.confirmed, p.attended, str(p.people)] for p in report.places
    ]
    return Rows(header, rows)


def people_rows(report: Report) -> Rows:
    o = report.organisations
    rows: list[list[Cell]] = [
        [_("Unique people confirmed"), str(report.unique_confirmed)],
        [_("Unique people who attended"), str(report.unique_attended)],
        [_("Attended for an organisation"), o.representatives],
        [_("Attended as residents"), o.residents],
        [_("Different organisations"), o.distinct],
    ]
    return Rows([_("People"), _("Number")], rows)


def notes(report: Report) -> list[str]:
    """What the figures mean, said in the report itself."""
    said = [
        _(
            "Registered: everyone who signed up, cancelled registrations included. Attended: "
            "people marked present at check-in. The attendance rate counts activities where "
            "attendance was taken."
        ),
        _(
            "Unique people are told apart by email address and name. A registration without "
            "an address (by phone, at the door: %(count)s of them) counts as a person of its "
            "own, so the true number may be lower.",
            count=report.without_address,
        ),
    ]
    if report.unique_attended.unknown or report.unique_confirmed.unknown:
        said.append(
            _("Anonymised registrations cannot be told apart any more; their number is shown.")
        )
    if report.unmarked:
        said.append(
            _(
                "Attendance was not marked at %(count)s activities: their attended figure is "
                "empty, not zero.",
                count=len(report.unmarked),
            )
        )
    if report.left_out:
        said.append(
            _(
                "Not counted (drafts and cancelled activities): %(list)s.",
                list="; ".join(f"{e.title} ({numeric_date(e.starts_at)})" for e in report.left_out),
            )
        )
    return said


def title_of(report: Report) -> str:
    return _("Activity report: %(period)s", period=period_text(report.period))


# -- Excel ---------------------------------------------------------------------------------


def _sheet(book: Workbook, title: str, table: Rows, widths: Iterable[int]) -> None:
    sheet = book.create_sheet(title)
    bold = Font(bold=True)
    sheet.append(table.header)
    for cell in sheet[1]:
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for n, values in enumerate(table.rows):
        sheet.append([_excel_value(v) for v in values])
        if n in table.totals:
            for cell in sheet[sheet.max_row]:
                cell.font = bold
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, float):
                cell.number_format = "0.0%"
    sheet.freeze_panes = "A2"
    print_setup(sheet)


def _excel_value(value: Cell) -> Cell:
    # Text that starts with "=" stays text: openpyxl would write it as a formula.
    if isinstance(value, str) and value.startswith("="):
        return "'" + value
    return value


def to_xlsx(report: Report) -> bytes:
    book = Workbook()
    book.remove(book.active)
    _sheet(
        book,
        _("Activities"),
        activity_rows(report),
        (16, 12, 40, 28, 10, 11, 11, 11, 11, 10, 10, 12),
    )
    _sheet(book, _("Places of residence"), place_rows(report), (32, 12, 12, 20))
    people = people_rows(report)
    people.rows += [[note, None] for note in notes(report)]
    _sheet(book, _("People"), people, (60, 16))
    book.properties.title = f"{report.project.title}: {title_of(report)}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# -- PDF -----------------------------------------------------------------------------------


def _pdf_text(value: Cell) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return format_percent(value, "#,##0.0%")
    return str(value)


def _pdf_table(table: Rows, widths: list[float], numbers_from: int, **options) -> pdf.Table:
    return pdf.Table(
        header=table.header,
        rows=[[_pdf_text(v) for v in row] for row in table.rows],
        widths=widths,
        align=["L"] * numbers_from + ["R"] * (len(table.header) - numbers_from),
        bold_rows=table.totals,
        **options,
    )


def to_pdf(report: Report) -> bytes:
    """The report on landscape A4 pages: counts only, no names of people."""
    blocks: list[pdf.Block] = [
        pdf.Paragraph(_("Made on %(date)s", date=numeric_date(now_utc()))),
        pdf.Heading(_("Activities")),
    ]
    if report.activities:
        blocks.append(
            _pdf_table(
                activity_rows(report),
                [11, 11, 28, 18, 10, 10, 11, 8, 11, 10, 8, 11],
                4,
                font_size=7.5,
            )
        )
    else:
        blocks.append(pdf.Paragraph(_("No activities took place in this period.")))
    blocks += [
        pdf.Heading(_("People")),
        _pdf_table(people_rows(report), [3, 1], 1),
        pdf.Heading(_("Places of residence")),
    ]
    if report.places:
        blocks.append(_pdf_table(place_rows(report), [3, 1, 1, 2], 1))
    else:
        blocks.append(pdf.Paragraph(_("Nobody took part in this period.")))
    blocks += [pdf.Paragraph(note, small=True) for note in notes(report)]
    return pdf.report(
        title=title_of(report),
        blocks=blocks,
        letterhead=letterheads.for_project(report.project),
        page_label=_("Page {page} of {pages}"),
        landscape=True,
        created=now_utc(),
    )
