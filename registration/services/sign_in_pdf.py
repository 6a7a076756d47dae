"""An event's sign-in sheet as a PDF: the printed list the funder keeps as evidence.

Filled with the people who attended (or, where attendance was not marked, the confirmed
ones, and the sheet says so), with empty rows kept for signatures, under the project's
letterhead with the funder's line and logo.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from .. import pdf
from ..extensions import db
from ..i18n import clock, long_date
from ..models import Attendance, Event, Registration, RegistrationStatus
from ..timeutil import now_utc
from . import letterheads
from .latvian import name_key

BLANK_ROWS = 5


def _people(event: Event) -> tuple[list[Registration], bool]:
    """Those who attended, in Latvian order, and whether attendance was marked at all."""
    confirmed = list(
        db.session.scalars(
            sa.select(Registration).where(
                Registration.event_id == event.id,
                Registration.status == RegistrationStatus.CONFIRMED,
            )
        )
    )
    marked = any(r.attendance is not None for r in confirmed)
    people = [r for r in confirmed if r.attendance is Attendance.ATTENDED] if marked else confirmed
    people.sort(key=lambda r: name_key(r.last_name, r.first_name))
    return people, marked


def _where(event: Event) -> str:
    if event.is_online:
        return _("online")
    return ", ".join(part for part in (event.venue_name, event.venue_address) if part)


def sign_in_sheet(event: Event, blank_rows: int = BLANK_ROWS) -> bytes:
    people, marked = _people(event)
    rows = [
        [f"{n}.", r.full_name, r.residence, r.organisation, ""]
        for n, r in enumerate(people, start=1)
    ]
    rows += [[f"{n}.", "", "", "", ""] for n in range(len(rows) + 1, len(rows) + blank_rows + 1)]
    when = f"{long_date(event.starts_at)}, {clock(event.starts_at)}–{clock(event.ends_at)}"
    blocks: list[pdf.Block] = [
        pdf.Paragraph(event.title),
        pdf.Paragraph(f"{when}, {_where(event)}"),
    ]
    if not marked:
        blocks.append(
            pdf.Paragraph(
                _("Attendance was not marked: the list holds everyone confirmed."), small=True
            )
        )
    blocks += [
        pdf.Table(
            header=[
                _("No."),
                _("Name and surname"),
                _("Place of residence"),
                _("Organisation"),
                _("Signature"),
            ],
            rows=rows,
            widths=[8, 45, 38, 38, 41],
            row_height=9,
            font_size=9.5,
            plain=True,
        ),
        pdf.Paragraph(
            _(
                "By signing, participants confirm that they took part. The list is kept for "
                "the funder's reporting."
            ),
            small=True,
        ),
    ]
    letterhead = (
        letterheads.for_project(event.project)
        if event.project is not None
        else letterheads.for_organisation()
    )
    return pdf.report(
        title=_("List of participants"),
        blocks=blocks,
        letterhead=letterhead,
        page_label=_("Page {page} of {pages}"),
        created=now_utc(),
    )
