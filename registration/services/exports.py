"""Participant lists that leave the system: CSV, Excel, the sign-in sheet, the passenger list.

Names are sorted the Latvian way. CSV is UTF-8 with a byte order mark and semicolons, which
is what Excel with Latvian regional settings opens directly; the Excel table has real dates,
a frozen header row, a filter on every column and widths that fit the content, and it
prints on landscape A4 pages as wide as the table with the header on each.

No cell becomes a formula someone typed, and no column shifts:
- CSV: every field is quoted. LibreOffice's import splits on commas and tabs as well as
  semicolons unless told otherwise, so an unquoted `a,=1+1` would become two cells. Text
  starting with = + - @, a tab or a carriage return gets a leading apostrophe (shown, but
  nothing runs). A phone number in the form the app stores it (+ and digits) is written
  `(+371) 26123456`: both Excel and LibreOffice read a bare `+37126123456` as the number
  37126123456 (the plus gone, `3,71E+10` in a narrow column), Excel takes `+371 26…` for a
  formula, an apostrophe would be shown, and `="+371…"` is shown as typed by Excel alone
  (LibreOffice evaluates no formula in a CSV unless asked). Text in brackets is no number
  and no formula to either.
- Excel table: every text is a text cell (openpyxl type "s"), which Excel never evaluates,
  so a phone number or "-" needs nothing; only text starting with "=" has to be told, since
  openpyxl would otherwise write it as a formula.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import phonenumbers
import sqlalchemy as sa
from flask_babel import format_percent
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from sqlalchemy.orm import selectinload

from .. import admin_labels as labels
from ..extensions import db
from ..i18n import current_language
from ..labels import STATUS_LABELS
from ..models import (
    Attendance,
    Event,
    PickupStop,
    Project,
    Registration,
    RegistrationStatus,
)
from ..models.registration import ACTIVE_STATUSES
from ..places import OTHER, slugify
from ..timeutil import to_riga
from . import answers
from .latvian import name_key
from .policy import WAITING_ORDER
from .spreadsheets import print_setup
from .statistics import Figures, Overview

#: Which registrations a table holds.
SCOPES = ("active", "confirmed", "attended", "all")

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: Characters XML 1.0 (and so .xlsx) cannot hold.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
CSV_DELIMITER = ";"
DATE_FORMAT = "DD.MM.YYYY HH:MM"


#: A phone number as `services.phone` stores it.
_PHONE = re.compile(r"\+[0-9]{7,15}")
#: The world's calling codes ("1", "44", "371"…), as kept up to date by phonenumbers.
_COUNTRY_CODES = frozenset(str(code) for code in phonenumbers.COUNTRY_CODE_TO_REGION_CODE)


def neutralise(text: str) -> str:
    """Text for a CSV cell that a spreadsheet will show as text, never run as a formula."""
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def csv_phone(phone: str) -> str:
    """'+37126123456' -> '(+371) 26123456', which spreadsheets show as it is (see the
    module's docstring). Country codes are prefix-free, so the first one that matches is it."""
    digits = phone.removeprefix("+")
    for length in (1, 2, 3):
        if digits[:length] in _COUNTRY_CODES:
            return f"(+{digits[:length]}) {digits[length:]}"
    return neutralise(phone)


def csv_text(text: str) -> str:
    """A text cell of the participant CSV: neutralised, and a phone number kept readable."""
    if _PHONE.fullmatch(text):
        return csv_phone(text)
    return neutralise(text)


def csv_writer(buffer: io.StringIO):
    """Semicolons for Excel with Latvian settings; every field quoted (see the docstring)."""
    return csv.writer(buffer, delimiter=CSV_DELIMITER, quoting=csv.QUOTE_ALL, lineterminator="\r\n")


# -- choosing and ordering -------------------------------------------------------------------


def _in_scope(query, event: Event, scope: str):
    if scope not in SCOPES:
        raise ValueError(scope)
    query = query.where(Registration.event_id == event.id)
    if scope == "active":
        return query.where(Registration.status.in_(ACTIVE_STATUSES))
    if scope == "confirmed":
        return query.where(Registration.status == RegistrationStatus.CONFIRMED)
    if scope == "attended":
        return query.where(
            Registration.status == RegistrationStatus.CONFIRMED,
            Registration.attendance == Attendance.ATTENDED,
        )
    return query


def registrations(event: Event, scope: str = "active") -> list[Registration]:
    """The event's registrations in `scope`, sorted by surname and name (Latvian order)."""
    query = _in_scope(sa.select(Registration), event, scope).options(
        selectinload(Registration.pickup_stop)
    )
    rows = list(db.session.scalars(query))
    rows.sort(key=lambda r: name_key(r.last_name, r.first_name))
    return rows


#: What the tables read: plain rows, not model objects, so ten thousand load quickly.
_TABLE_COLUMNS = (
    Registration.id, Registration.first_name, Registration.last_name, Registration.email,
    Registration.phone, Registration.place, Registration.place_other,
    Registration.organisation, Registration.status, Registration.needs, Registration.comment,
    Registration.photo_opt_out, Registration.wants_news, Registration.language,
    Registration.source, Registration.created_at, Registration.attendance,
    PickupStop.place.label("stop_place"), PickupStop.departs_at.label("stop_departs_at"),
    Registration.lead_id,
)  # fmt: skip


def _table_rows(event: Event, scope: str) -> list:
    query = _in_scope(
        sa.select(*_TABLE_COLUMNS).outerjoin(
            PickupStop, PickupStop.id == Registration.pickup_stop_id
        ),
        event,
        scope,
    )
    rows = list(db.session.execute(query))
    rows.sort(key=lambda r: name_key(r.last_name, r.first_name))
    return rows


def waiting_positions(event: Event) -> dict[int, int]:
    """Registration id -> place in the queue, for everyone on the waiting list.

    One query for the whole list (a table of hundreds would otherwise ask once per row),
    in the queue's one order (`policy.WAITING_ORDER`).
    """
    query = (
        sa.select(Registration.id)
        .where(
            Registration.event_id == event.id,
            Registration.status == RegistrationStatus.WAITLISTED,
        )
        .order_by(*WAITING_ORDER)
    )
    return {reg_id: n for n, reg_id in enumerate(db.session.scalars(query), start=1)}


# -- tables ----------------------------------------------------------------------------------

Value = str | int | datetime | None


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Registration], Value]
    #: Widest the column may grow in Excel (characters).
    max_width: int = 40


def _local(moment: datetime | None) -> datetime | None:
    return to_riga(moment).replace(tzinfo=None) if moment is not None else None


def columns(event: Event) -> list[Column]:
    """The table's columns, headers in the current language."""
    statuses = {k: str(v) for k, v in STATUS_LABELS.items()}
    attendance = {k: str(v) for k, v in labels.ATTENDANCE.items()}
    sources = {k: str(v) for k, v in labels.SOURCES.items()}
    yes = _("yes")
    positions = waiting_positions(event)

    def residence(r) -> str:
        return r.place_other if r.place == OTHER else r.place

    cols = [
        Column(_("Surname"), lambda r: r.last_name),
        Column(_("First name"), lambda r: r.first_name),
        Column(_("Email"), lambda r: r.email),
        Column(_("Phone"), lambda r: r.phone),
        Column(_("Place of residence"), residence),
        Column(_("Organisation"), lambda r: r.organisation),
        Column(_("Status"), lambda r: statuses[r.status]),
        Column(_("Place on the waiting list"), lambda r: positions.get(r.id)),
    ]
    if event.is_trip:
        cols.append(
            Column(
                _("Pickup stop"),
                lambda r: (
                    f"{to_riga(r.stop_departs_at):%H:%M} {r.stop_place}"
                    if r.stop_place is not None
                    else ""
                ),
            )
        )
    cols += [
        Column(_("Needs"), lambda r: r.needs, max_width=50),
        Column(_("Comment"), lambda r: r.comment, max_width=50),
        *answer_columns(event),
        *group_columns(event),
        Column(_("No photos"), lambda r: yes if r.photo_opt_out else ""),
        Column(_("News by email"), lambda r: yes if r.wants_news else ""),
        Column(_("Language"), lambda r: r.language),
        Column(_("How registered"), lambda r: sources[r.source]),
        Column(_("Registered at"), lambda r: _local(r.created_at)),
        Column(_("Attendance"), lambda r: attendance[r.attendance] if r.attendance else ""),
    ]
    return cols


def answer_columns(event: Event) -> list[Column]:
    """One column per question, in the form's order; questions removed since, whose answers
    stay, after them under their wording."""
    questions = answers.answered_questions(event)
    if not questions:
        return []
    ids = db.session.scalars(sa.select(Registration.id).where(Registration.event_id == event.id))
    given = answers.by_registration(ids)
    language = current_language()

    def value_of(question_id: int):
        return lambda r: answers.display(given.get(r.id, {}).get(question_id), language)

    return [Column(q.label(language), value_of(q.id), max_width=40) for q in questions]


def group_columns(event: Event) -> list[Column]:
    """Who signed each companion up, when anyone came with companions."""
    has_groups = db.session.scalar(
        sa.select(
            sa.exists().where(Registration.event_id == event.id, Registration.lead_id.is_not(None))
        )
    )
    if not has_groups:
        return []
    leads = dict(
        db.session.execute(
            sa.select(
                Registration.id, Registration.last_name + " " + Registration.first_name
            ).where(Registration.event_id == event.id)
        ).all()
    )
    return [Column(_("Signed up by"), lambda r: leads.get(r.lead_id, "") if r.lead_id else "")]


def table(event: Event, scope: str = "active") -> tuple[list[str], list[list[Value]]]:
    """Header and rows (numbered from 1) of the participant table."""
    cols = columns(event)
    header = [_("No."), *(c.header for c in cols)]
    rows = [
        [n, *(c.value(r) for c in cols)] for n, r in enumerate(_table_rows(event, scope), start=1)
    ]
    return header, rows


def csv_cell(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, int):
        return str(value)
    return csv_text(value)


def to_csv(event: Event, scope: str = "active") -> bytes:
    """The participant table as CSV: UTF-8 with BOM, semicolons, every field quoted,
    formulas neutralised."""
    header, rows = table(event, scope)
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow([csv_cell(h) for h in header])
    writer.writerows([csv_cell(v) for v in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_text(sheet, value: str, **style):
    """A text cell: plain text as it is (openpyxl writes it as text), and text starting
    with "=" as an explicit text cell, which it would otherwise write as a formula."""
    text = _XML_ILLEGAL.sub("", value)
    if not style and not text.startswith("="):
        return text
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def sheet_title(text: str) -> str:
    cleaned = re.sub(r"[\[\]:*?/\\]", " ", text).strip() or "Sheet"
    return cleaned[:31]


def to_xlsx(event: Event, scope: str = "active") -> bytes:
    """The participant table as an Excel workbook (streamed: little memory for big lists)."""
    header, rows = table(event, scope)
    cols = columns(event)
    max_widths = [6, *(c.max_width for c in cols)]
    widths = [len(str(h)) + 2 for h in header]
    for row in rows:
        for i, value in enumerate(row):
            if isinstance(value, str):
                length = len(value)
            elif isinstance(value, datetime):
                length = 16
            else:
                length = len(str(value)) if value is not None else 0
            if length > widths[i]:
                widths[i] = length

    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_title(event.title))
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = min(width + 2, max_widths[i - 1])
    sheet.freeze_panes = "A2"
    last = get_column_letter(len(header))
    sheet.auto_filter.ref = f"A1:{last}{len(rows) + 1}"
    print_setup(sheet)

    bold = Font(bold=True)
    heading = Alignment(vertical="top", wrap_text=True)
    sheet.append([xlsx_text(sheet, str(text), font=bold, alignment=heading) for text in header])
    for row in rows:
        sheet.append(xlsx_row(sheet, row))
    book.properties.title = event.title
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_row(sheet, row: list) -> list:
    """A row for a write-only sheet: text as text cells (never a formula), dates with the
    date format, numbers as they are."""
    out = []
    for value in row:
        if isinstance(value, str):
            out.append(xlsx_text(sheet, value))
        elif isinstance(value, datetime):
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = DATE_FORMAT
            out.append(cell)
        else:
            out.append(value)
    return out


def filename(event: Event, kind: str, extension: str) -> str:
    """'dalibnieki-nvo-domnica-sece-2027-09-08.xlsx'."""
    day = to_riga(event.starts_at).date().isoformat()
    return f"{slugify(kind)}-{slugify(event.title)[:60].strip('-')}-{day}.{extension}"


# -- printed lists ---------------------------------------------------------------------------


@dataclass
class SignInSheet:
    event: Event
    project: Project | None
    people: list[Registration]
    blank_rows: int


def sign_in_sheet(event: Event, blank_rows: int = 5) -> SignInSheet:
    """Confirmed participants in Latvian order, with empty rows for walk-ins."""
    return SignInSheet(
        event=event,
        project=event.project,
        people=registrations(event, "confirmed"),
        blank_rows=max(0, min(blank_rows, 60)),
    )


@dataclass
class StopGroup:
    stop: PickupStop | None
    passengers: list[Registration]


def passenger_list(event: Event) -> list[StopGroup]:
    """Confirmed passengers by pickup stop in route order; those without a stop last."""
    people = registrations(event, "confirmed")
    groups = [StopGroup(stop, []) for stop in event.pickup_stops]
    by_id = {group.stop.id: group for group in groups}
    no_stop = StopGroup(None, [])
    for person in people:
        by_id.get(person.pickup_stop_id, no_stop).passengers.append(person)
    if no_stop.passengers:
        groups.append(no_stop)
    return groups


def passenger_answers(
    event: Event, groups: list[StopGroup], language: str
) -> dict[int, list[tuple[str, str]]]:
    """Each passenger's answers to the questions asked of each person (lunch, a seat near the
    door): what the bus and the day need, not the rest."""
    per_person = {q.label(language) for q in answers.questions_for(event, companion=True)}
    ids = [p.id for group in groups for p in group.passengers]
    texts = answers.texts_by_registration(event, ids, language)
    return {
        registration_id: [(label, value) for label, value in found if label in per_person]
        for registration_id, found in texts.items()
    }


# -- the figures' overview ----------------------------------------------------------------


def _rate(figures: Figures) -> str:
    rate = figures.attendance_rate
    return "" if rate is None else format_percent(rate, "#,##0.0%")


def _place_name(name: str) -> str:
    if not name:
        return _("Not given")
    return _("Other") if name == OTHER else name


def overview_csv(data: Overview) -> bytes:
    """Two tables in one file: per event (with totals), then per place of residence."""
    buffer = io.StringIO()
    writer = csv_writer(buffer)

    def row(values):
        writer.writerow([neutralise(str(v)) for v in values])

    row([_("Date"), _("Event"), _("Registrations"), _("Confirmed registrations"), _("Waiting"),
         _("Cancelled"), _("Attended"), _("Attendance rate")])  # fmt: skip
    for event, f in data.events:
        row([to_riga(event.starts_at).strftime("%Y-%m-%d"), event.title, f.registrations, f.confirmed,
             f.waiting, f.cancelled, f.attended if f.attendance_taken else "", _rate(f)])  # fmt: skip
    t = data.totals
    row(["", _("Total"), t.registrations, t.confirmed, t.waiting, t.cancelled, t.attended,
         _rate(t)])  # fmt: skip
    row(["", _("Unique people confirmed"), data.unique_confirmed])
    row(["", _("Unique people who attended"), data.unique_attended])
    writer.writerow([])
    row([_("Place of residence"), _("Confirmed registrations"), _("Attended"), _("Unique people")])
    for place in data.places:
        row([_place_name(place.place), place.confirmed, place.attended, place.unique_people])
    return buffer.getvalue().encode("utf-8-sig")
