"""One participant table across all of a project's activities: a row per registration, with
its event. The same CSV and Excel rules as the per-event table (services/exports.py): every
CSV field quoted, phone numbers readable, nothing a spreadsheet would run as a formula."""

from __future__ import annotations

import io

import sqlalchemy as sa
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .. import admin_labels as labels
from ..extensions import db
from ..labels import STATUS_LABELS, kind_label
from ..models import Event, EventStatus, Project, Registration
from ..places import OTHER, slugify
from ..timeutil import to_riga
from .exports import csv_cell, csv_writer, sheet_title, xlsx_row, xlsx_text
from .latvian import name_key
from .report import Period
from .spreadsheets import print_setup
from .statistics import not_junk

_COLUMNS = (
    Event.starts_at.label("event_starts_at"),
    Event.title.label("event_title"),
    Event.kind,
    Registration.id,
    Registration.first_name,
    Registration.last_name,
    Registration.email,
    Registration.phone,
    Registration.place,
    Registration.place_other,
    Registration.organisation,
    Registration.status,
    Registration.attendance,
    Registration.source,
    Registration.created_at,
)

_WIDTHS = (6, 12, 14, 36, 18, 14, 28, 16, 22, 24, 16, 14, 16, 16, 12)


def _rows(project: Project, period: Period) -> list:
    query = (
        sa.select(*_COLUMNS)
        .join(Event, Event.id == Registration.event_id)
        .where(Event.project_id == project.id, Event.status == EventStatus.PUBLISHED, not_junk)
    )
    rows = [r for r in db.session.execute(query) if period.contains(r.event_starts_at)]
    rows.sort(key=lambda r: (r.event_starts_at, name_key(r.last_name, r.first_name), r.id))
    return rows


def table(project: Project, period: Period | None = None) -> tuple[list[str], list[list]]:
    """Header and rows (numbered from 1): the project's registrations, event by event."""
    period = period or Period()
    statuses = {k: str(v) for k, v in STATUS_LABELS.items()}
    attendance = {k: str(v) for k, v in labels.ATTENDANCE.items()}
    sources = {k: str(v) for k, v in labels.SOURCES.items()}
    header = [
        _("No."),
        _("Date"),
        _("Kind"),
        _("Activity"),
        _("Surname"),
        _("First name"),
        _("Email"),
        _("Phone"),
        _("Place of residence"),
        _("Organisation"),
        _("Status"),
        _("Attendance"),
        _("How registered"),
        _("Registered at"),
        _("Registration No."),
    ]
    rows = [
        [
            n,
            to_riga(r.event_starts_at).date().isoformat(),
            kind_label(r.kind),
            r.event_title,
            r.last_name,
            r.first_name,
            r.email,
            r.phone,
            r.place_other if r.place == OTHER else r.place,
            r.organisation,
            statuses[r.status],
            attendance[r.attendance] if r.attendance else "",
            sources[r.source],
            to_riga(r.created_at).replace(tzinfo=None),
            r.id,
        ]
        for n, r in enumerate(_rows(project, period), start=1)
    ]
    return header, rows


def to_csv(project: Project, period: Period | None = None) -> bytes:
    header, rows = table(project, period)
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow([csv_cell(h) for h in header])
    writer.writerows([csv_cell(v) for v in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(project: Project, period: Period | None = None) -> bytes:
    header, rows = table(project, period)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_title(_("Participants")))
    for i, width in enumerate(_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(rows) + 1}"
    print_setup(sheet)
    bold = Font(bold=True)
    sheet.append([xlsx_text(sheet, str(text), font=bold) for text in header])
    for row in rows:
        sheet.append(xlsx_row(sheet, row))
    book.properties.title = project.title
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def filename(project: Project, kind: str, extension: str) -> str:
    """'dalibnieki-iedzivotaju-stiprinasana.csv'."""
    return f"{slugify(kind)}-{slugify(project.title)[:60].strip('-') or project.id}.{extension}"
