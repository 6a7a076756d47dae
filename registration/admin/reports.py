"""The funder's report of a project: on screen, as Excel and PDF, the participants of all its
activities in one table, and the evidence pack (ZIP). Every download is in the audit log."""

from __future__ import annotations

import tempfile

from flask import Response, redirect, render_template, request, send_file, url_for

from ..models import Project
from ..services import audit, evidence_pack, project_exports, projects, report, report_files
from ..services.report import Period
from . import bp
from .access import current_organiser
from .exports import XLSX_TYPE
from .lookup import found
from .report_forms import PeriodForm


def _project(project_id: int) -> Project:
    return found(projects.get_project(project_id))


def _period(project: Project) -> Period | Response:
    """The period asked for, or (the dates are wrong) the report page that says why."""
    form = PeriodForm(request.args)
    if not form.validate():
        return redirect(url_for("admin.project_report", project_id=project.id, **request.args))
    return form.to_period()


def _record(project: Project, kind: str, period: Period) -> None:
    audit.record_export(
        current_organiser(),
        kind,
        subject=project.title,
        project_id=project.id,
        period_from=period.starts_on.isoformat() if period.starts_on else None,
        period_to=period.ends_on.isoformat() if period.ends_on else None,
    )


def _download(body, mimetype: str, name: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers.set("Content-Disposition", "attachment", filename=name)
    return response


@bp.get("/projects/<id:project_id>/report")
def project_report(project_id: int):
    project = _project(project_id)
    form = PeriodForm(request.args)
    if not form.validate():
        page = render_template(
            "admin/project_report.html", project=project, form=form, report=None, notes=[], query={}
        )
        return page, 422
    found_report = report.build(project, form.to_period())
    return render_template(
        "admin/project_report.html",
        project=project,
        form=form,
        report=found_report,
        notes=report_files.notes(found_report),
        query=form.query(),
    )


@bp.get("/projects/<id:project_id>/report.xlsx")
def project_report_xlsx(project_id: int):
    project = _project(project_id)
    period = _period(project)
    if isinstance(period, Response):
        return period
    body = report_files.to_xlsx(report.build(project, period))
    _record(project, "report_xlsx", period)
    return _download(body, XLSX_TYPE, project_exports.filename(project, "parskats", "xlsx"))


@bp.get("/projects/<id:project_id>/report.pdf")
def project_report_pdf(project_id: int):
    project = _project(project_id)
    period = _period(project)
    if isinstance(period, Response):
        return period
    body = report_files.to_pdf(report.build(project, period))
    _record(project, "report_pdf", period)
    return _download(body, "application/pdf", project_exports.filename(project, "parskats", "pdf"))


@bp.get("/projects/<id:project_id>/participants.csv")
def project_participants_csv(project_id: int):
    project = _project(project_id)
    period = _period(project)
    if isinstance(period, Response):
        return period
    body = project_exports.to_csv(project, period)
    _record(project, "project_csv", period)
    name = project_exports.filename(project, "dalibnieki", "csv")
    return _download(body, "text/csv; charset=utf-8", name)


@bp.get("/projects/<id:project_id>/participants.xlsx")
def project_participants_xlsx(project_id: int):
    project = _project(project_id)
    period = _period(project)
    if isinstance(period, Response):
        return period
    body = project_exports.to_xlsx(project, period)
    _record(project, "project_xlsx", period)
    return _download(body, XLSX_TYPE, project_exports.filename(project, "dalibnieki", "xlsx"))


@bp.get("/projects/<id:project_id>/evidence.zip")
def project_evidence_pack(project_id: int):
    project = _project(project_id)
    period = _period(project)
    if isinstance(period, Response):
        return period
    pack = evidence_pack.build(project, period)
    # Made into a temporary file on disk while the request can still read the database
    # (a big pack never sits in memory), then sent from there in chunks.
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - send_file closes it
    evidence_pack.write(pack, spool)
    spool.seek(0)
    _record(project, "evidence_pack", period)
    return send_file(
        spool,
        mimetype="application/zip",
        as_attachment=True,
        download_name=evidence_pack.filename(pack),
    )
