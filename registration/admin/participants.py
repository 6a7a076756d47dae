"""Participants of an event: the table, adding by hand, editing, cancelling, seating.

Flash messages are plain `gettext` strings: a lazy string is stored in the session as
Markup, and would show a name such as "<b>" as HTML.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..i18n import current_language
from ..models import Registration, RegistrationStatus
from ..privacy.erasure import erase_registration
from ..services import DomainError, answers, booking, exports, junk, participants, policy
from ..services.booking import Outcome
from . import bp
from .access import current_organiser
from .forms import ActionForm, AddParticipantForm, ConfirmForm, ParticipantForm
from .lookup import event_or_404, registration_or_404


def registration_of_event(event_id: int, registration_id: int) -> Registration:
    """The registration, 404 unless it belongs to the event in the address."""
    registration = registration_or_404(registration_id)
    if registration.event_id != event_id:
        abort(404)
    return registration


@bp.get("/events/<id:event_id>/participants")
def participants_list(event_id: int):
    event = event_or_404(event_id)
    status = request.args.get("status", "active")
    if status not in participants.STATUS_FILTERS:
        status = "active"
    query = request.args.get("q", "").strip()[:100]
    answer = request.args.get("answer", "")[:20]
    found = participants.search(event, query, status, answer)
    return render_template(
        "admin/participants.html",
        event=event,
        registrations=found,
        positions=exports.waiting_positions(event),
        flags=junk.flags(event),
        status=status,
        query=query,
        answer=answer,
        answer_options=answers.filter_options(event, current_language()),
        answer_texts=answers.texts_by_registration(
            event, [r.id for r in found], current_language()
        ),
        confirm_form=ConfirmForm(),
    )


@bp.route("/events/<id:event_id>/participants/new", methods=["GET", "POST"])
def participant_new(event_id: int):
    event = event_or_404(event_id)
    form = AddParticipantForm(event=event)
    if form.validate_on_submit():
        try:
            result = participants.add(event.id, **form.to_command(), actor=current_organiser())
        except DomainError as error:
            flash(str(error.message), "error")
        else:
            if result.outcome is Outcome.DUPLICATE:
                form.email.errors = [
                    _("This person (this address and name) is already registered for this event.")
                ]
            else:
                name = result.registration.full_name
                if result.outcome is Outcome.CONFIRMED:
                    flash(_("%(name)s has a seat.", name=name), "success")
                else:
                    flash(
                        _(
                            "The event is full: %(name)s is number %(position)s on the waiting "
                            "list.",
                            name=name,
                            position=result.position,
                        ),
                        "warning",
                    )
                return redirect(url_for("admin.participants_list", event_id=event.id))
    return render_template("admin/participant_form.html", event=event, form=form, registration=None)


@bp.route("/registrations/<id:registration_id>", methods=["GET", "POST"])
def participant_edit(registration_id: int):
    registration = registration_or_404(registration_id)
    event = registration.event
    if request.method == "GET":
        form = ParticipantForm(obj=registration, event=event)
        form.pickup_stop_id.data = str(registration.pickup_stop_id or "")
    else:
        form = ParticipantForm(event=event)
    if form.validate_on_submit():
        try:
            participants.edit(registration.id, **form.to_command(), actor=current_organiser())
        except DomainError as error:
            flash(str(error.message), "error")
        else:
            flash(_("The details are saved."), "success")
            return redirect(url_for("admin.participants_list", event_id=event.id))
    return render_template(
        "admin/participant_form.html",
        event=event,
        form=form,
        registration=registration,
        position=booking.waiting_position(registration),
        answer_texts=answers.texts_by_registration(
            event, [registration.id], current_language()
        ).get(registration.id, []),
        action_form=ActionForm(),
        confirm_form=ConfirmForm(),
        has_certificate=policy.has_certificate(registration),
    )


@bp.route("/registrations/<id:registration_id>/cancel", methods=["GET", "POST"])
def participant_cancel(registration_id: int):
    registration = registration_or_404(registration_id)
    form = ActionForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        try:
            participants.cancel(registration.id, actor=current_organiser())
        except DomainError as error:
            flash(str(error.message), "error")
        else:
            flash(_("The registration of %(name)s is cancelled.", name=registration.full_name))
        return redirect(url_for("admin.participants_list", event_id=registration.event_id))
    if registration.status is RegistrationStatus.CANCELLED:
        flash(_("This registration is already cancelled."), "info")
        return redirect(url_for("admin.participant_edit", registration_id=registration.id))
    return render_template("admin/participant_cancel.html", registration=registration, form=form)


@bp.route("/registrations/<id:registration_id>/erase", methods=["GET", "POST"])
def participant_erase(registration_id: int):
    """Erase a person's data on their request; asks once more, only the POST erases."""
    registration = registration_or_404(registration_id)
    form = ActionForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        erase_registration(registration.id, actor=current_organiser())
        flash(_("The personal data of this registration are erased."), "success")
        return redirect(url_for("admin.participants_list", event_id=registration.event_id))
    return render_template("admin/participant_erase.html", registration=registration, form=form)


@bp.post("/registrations/<id:registration_id>/confirm")
def participant_confirm(registration_id: int):
    registration = registration_or_404(registration_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        participants.confirm(registration.id, **form.to_command(), actor=current_organiser())
    except DomainError as error:
        flash(str(error.message), "error")
    else:
        flash(_("%(name)s has a seat now.", name=registration.full_name), "success")
    return redirect(url_for("admin.participants_list", event_id=registration.event_id))
