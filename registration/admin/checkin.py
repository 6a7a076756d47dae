"""Check-in on the day: a phone-sized list with big buttons, search, and walk-ins."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..services import DomainError, participants
from . import bp
from .access import current_organiser
from .forms import AttendanceForm, ConfirmForm, WalkInForm
from .lookup import event_or_404
from .participants import registration_of_event


def _render(event, query: str, walk_in: WalkInForm, status=200):
    confirmed = participants.search(event, query, "confirmed")
    return (
        render_template(
            "admin/checkin.html",
            event=event,
            confirmed=confirmed,
            waiting=participants.search(event, query, "waiting"),
            totals=participants.counts(participants.search(event, "", "confirmed")),
            query=query,
            attendance_form=AttendanceForm(),
            confirm_form=ConfirmForm(),
            walk_in=walk_in,
        ),
        status,
    )


@bp.get("/events/<id:event_id>/checkin")
def checkin(event_id: int):
    event = event_or_404(event_id)
    query = request.args.get("q", "").strip()[:100]
    return _render(event, query, WalkInForm(formdata=None))


def _back(event_id: int, registration_id: int | None = None):
    query = request.form.get("q", "").strip()[:100]
    anchor = f"#r{registration_id}" if registration_id else ""
    return redirect(url_for("admin.checkin", event_id=event_id, q=query or None) + anchor)


@bp.post("/events/<id:event_id>/checkin/<id:registration_id>")
def checkin_mark(event_id: int, registration_id: int):
    registration = registration_of_event(event_id, registration_id)
    form = AttendanceForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        participants.mark_attendance(
            registration.id, **form.to_command(), actor=current_organiser()
        )
    except DomainError as error:
        flash(str(error.message), "error")
    return _back(event_id, registration.id)


@bp.post("/events/<id:event_id>/checkin/<id:registration_id>/seat")
def checkin_seat(event_id: int, registration_id: int):
    """Someone from the waiting list came: give a seat (adding one if needed) and check in."""
    registration = registration_of_event(event_id, registration_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        participants.seat_and_check_in(registration.id, actor=current_organiser())
    except DomainError as error:
        flash(str(error.message), "error")
    return _back(event_id, registration.id)


@bp.post("/events/<id:event_id>/checkin/walk-in")
def checkin_walk_in(event_id: int):
    event = event_or_404(event_id)
    form = WalkInForm()
    if not form.validate_on_submit():
        return _render(event, "", form, status=200)
    try:
        registration = participants.add_walk_in(
            event.id, **form.to_command(), actor=current_organiser()
        )
    except DomainError as error:
        form.form_errors.append(str(error.message))
        return _render(event, "", form)
    flash(_("%(name)s is added and checked in.", name=registration.full_name), "success")
    return redirect(url_for("admin.checkin", event_id=event.id))
