"""After the event: the feedback form's settings and results, the thank-you, certificates.

Results are shown without names unless the form says otherwise; the workbook and the
certificates are personal data leaving the system, recorded in the audit log.
"""

from __future__ import annotations

from datetime import date

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from ..admin_labels import QUESTION_KINDS
from ..i18n import current_language
from ..mail.thanks import send_thanks
from ..services import (
    DomainError,
    audit,
    certificates,
    exports,
    feedback,
    feedback_results,
    projects,
)
from . import bp
from .access import current_organiser
from .exports import XLSX_TYPE
from .feedback_forms import FeedbackSettingsForm
from .forms import ActionForm
from .lookup import event_or_404, found, registration_or_404


def _download(body: bytes, mimetype: str, name: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers.set("Content-Disposition", "attachment", filename=name)
    return response


@bp.route("/events/<id:event_id>/feedback", methods=["GET", "POST"])
def feedback_page(event_id: int):
    event = event_or_404(event_id)
    form_row = feedback.form_of(event)
    form = FeedbackSettingsForm(data=vars(feedback.settings_of(event)))
    if form.validate_on_submit():
        try:
            feedback.set_up(event.id, form.to_command(), actor=current_organiser())
        except DomainError as error:
            form.closes_on.errors = [*form.closes_on.errors, str(error.message)]
        else:
            flash(_("The feedback form is saved."), "success")
            return redirect(url_for("admin.feedback_page", event_id=event.id))
    return render_template(
        "admin/feedback.html",
        event=event,
        form=form,
        form_row=form_row,
        results=feedback_results.event_results(event, current_language()),
        questions=feedback.asked_questions(event),
        kinds=QUESTION_KINDS,
        action_form=ActionForm(),
    ), 422 if form.errors else 200


@bp.post("/events/<id:event_id>/feedback/send")
def feedback_send(event_id: int):
    event = event_or_404(event_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        count = send_thanks(event.id, actor=current_organiser())
    except DomainError as error:
        flash(str(error.message), "error")
    else:
        flash(
            ngettext(
                "The thank-you will be sent to %(num)d person.",
                "The thank-you will be sent to %(num)d people.",
                count,
            ),
            "success" if count else "warning",
        )
    return redirect(url_for("admin.feedback_page", event_id=event.id))


@bp.get("/events/<id:event_id>/feedback.xlsx")
def feedback_export(event_id: int):
    event = event_or_404(event_id)
    results = feedback_results.event_results(event, current_language())
    audit.record_export(current_organiser(), "feedback_xlsx", event=event)
    name = exports.filename(event, "atsauksmes", "xlsx")
    return _download(feedback_results.to_xlsx(results), XLSX_TYPE, name)


@bp.get("/events/<id:event_id>/certificates.zip")
def certificates_zip(event_id: int):
    event = event_or_404(event_id)
    try:
        archive = certificates.event_certificates(event.id)
    except DomainError as error:
        flash(str(error.message), "error")
        return redirect(url_for("admin.feedback_page", event_id=event.id))
    audit.record_export(current_organiser(), "certificates", event=event)
    return _download(archive.data, "application/zip", archive.filename)


@bp.get("/registrations/<id:registration_id>/certificate.pdf")
def participant_certificate(registration_id: int):
    registration = registration_or_404(registration_id)
    try:
        pdf = certificates.certificate_for(registration.id)
    except DomainError as error:
        flash(str(error.message), "error")
        return redirect(url_for("admin.participant_edit", registration_id=registration.id))
    audit.record_export(current_organiser(), "certificate", event=registration.event)
    return _download(pdf.data, "application/pdf", pdf.filename)


def _period() -> tuple[tuple[date, date] | None, str]:
    """The period in the address (?from=…&to=…, ISO dates), and a message when it is wrong."""
    first, last = request.args.get("from", ""), request.args.get("to", "")
    if not first and not last:
        return None, ""
    try:
        period = (date.fromisoformat(first[:10]), date.fromisoformat(last[:10]))
    except ValueError:
        return None, _("Enter both days of the period, for example 2026-01-01 and 2026-12-31.")
    if period[0] > period[1]:
        return None, _("The period's first day comes after its last.")
    return period, ""


@bp.get("/projects/<id:project_id>/feedback")
def project_feedback(project_id: int):
    """The feedback of a project's events, over a period or all of them."""
    project = found(projects.get_project(project_id))
    period, problem = _period()
    results = feedback_results.project_results(project.id, period, current_language())
    return render_template(
        "admin/project_feedback.html",
        project=project,
        results=results,
        period=period,
        problem=problem,
        first=request.args.get("from", "")[:10],
        last=request.args.get("to", "")[:10],
    ), 400 if problem else 200
