"""Figures per event and per project, on screen and as CSV."""

from __future__ import annotations

from flask import Response, render_template

from ..models import Project
from ..services import audit, exports, statistics
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


@bp.get("/events/<id:event_id>/overview")
def event_overview(event_id: int):
    event = event_or_404(event_id)
    return render_template(
        "admin/overview.html",
        overview=statistics.overview(event=event),
        project=event.project,
        projects=[],
        event=event,
    )


def _download(data: statistics.Overview, name: str, event=None) -> Response:
    body = exports.overview_csv(data)
    audit.record_export(current_organiser(), "overview_csv", event=event, subject=name)
    response = Response(body, mimetype="text/csv; charset=utf-8")
    response.headers.set("Content-Disposition", "attachment", filename=name)
    return response


@bp.get("/overview.csv")
def overview_download():
    project = _project()
    name = f"parskats-{project.id}.csv" if project else "parskats.csv"
    return _download(statistics.overview(project), name)


@bp.get("/events/<id:event_id>/overview.csv")
def event_overview_download(event_id: int):
    event = event_or_404(event_id)
    return _download(statistics.overview(event=event), f"parskats-{event.slug}.csv", event)
