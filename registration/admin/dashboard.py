"""Figures per event and per project, on screen and as CSV."""

from __future__ import annotations

import csv
import io

from flask import Response, render_template
from flask_babel import format_percent
from flask_babel import gettext as _

from ..models import AuditAction, Project
from ..places import OTHER
from ..services import audit, statistics, unit_of_work
from ..services.exports import CSV_DELIMITER, neutralise
from ..timeutil import to_riga
from . import bp
from .access import current_organiser
from .lookup import event_or_404, found, number_arg


def _project() -> Project | None:
    project_id = number_arg("project", None)
    return None if project_id is None else found(statistics.get_project(project_id))


@bp.get("/overview")
def overview():
    project = _project()
    return render_template(
        "admin/overview.html",
        overview=statistics.overview(project),
        project=project,
        projects=statistics.projects(),
        event=None,
    )


@bp.get("/events/<int(max=2147483647):event_id>/overview")
def event_overview(event_id: int):
    event = event_or_404(event_id)
    return render_template(
        "admin/overview.html",
        overview=statistics.overview(event=event),
        project=event.project,
        projects=[],
        event=event,
    )


def _rate(figures: statistics.Figures) -> str:
    rate = figures.attendance_rate
    return "" if rate is None else format_percent(rate, "#,##0.0%")


def _place_name(name: str) -> str:
    if not name:
        return _("Not given")
    return _("Other") if name == OTHER else name


def overview_csv(data: statistics.Overview) -> bytes:
    """Two tables in one file: per event (with totals), then per place of residence."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER, lineterminator="\r\n")

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


def _download(data: statistics.Overview, name: str, event=None) -> Response:
    body = overview_csv(data)
    with unit_of_work():
        audit.record(
            AuditAction.EXPORTED,
            current_organiser(),
            event=event,
            subject=name,
            format="overview_csv",
        )
    response = Response(body, mimetype="text/csv; charset=utf-8")
    response.headers.set("Content-Disposition", "attachment", filename=name)
    return response


@bp.get("/overview.csv")
def overview_download():
    project = _project()
    name = f"parskats-{project.id}.csv" if project else "parskats.csv"
    return _download(statistics.overview(project), name)


@bp.get("/events/<int(max=2147483647):event_id>/overview.csv")
def event_overview_download(event_id: int):
    event = event_or_404(event_id)
    return _download(statistics.overview(event=event), f"parskats-{event.slug}.csv", event)
