"""A person's private registration page: see and change the details and answers, cancel,
cancel companions (for the person who signed a group up), and the personal calendar file.

The page is reached only through the private link (its token); it sends no Referer."""

from __future__ import annotations

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..calendar.ics import personal_calendar
from ..i18n import current_language
from ..models import RegistrationStatus
from ..services import DomainError, answers, booking, groups, opt_in, policy, tokens
from ..services.answers import InvalidAnswers
from ..urls import external_url
from ..web import no_referrer
from . import bp
from .answer_fields import form_data
from .forms import ChangeDetailsForm, ConfirmForm, change_answers_form


def _registration_or_404(token: str):
    registration = tokens.find_by_token(token)
    if registration is None:
        abort(404)
    return registration


def _answers_form(registration, formdata=None):
    """The form of the person's answers, or None when the event asks them nothing."""
    questions = answers.questions_for(
        registration.event, companion=registration.lead_id is not None
    )
    if not questions:
        return None
    values = answers.values_of(registration)
    data = {f"q{q.id}": form_data(q, values.get(q.id)) for q in questions}
    return change_answers_form(
        questions, current_language(), formdata=formdata, data={"answers": data}
    )


def _render_manage(registration, token, form, status=200, error=None, answers_form=None):
    response = make_response(
        render_template(
            "public/manage.html",
            registration=registration,
            event=registration.event,
            token=token,
            form=form,
            answers_form=answers_form or _answers_form(registration),
            answer_list=_answer_list(registration),
            companions=groups.companions_of(registration),
            position=booking.waiting_position(registration),
            error=error,
            can_cancel=policy.can_cancel(registration),
            can_edit=policy.can_edit_details(registration),
            can_change_answers=policy.can_change_answers(registration),
            can_cancel_companions=policy.can_cancel_companions(registration),
            shows_join_link=policy.sees_join_link(registration),
            has_certificate=policy.has_certificate(registration),
        ),
        status,
    )
    return no_referrer(response)


def _answer_list(registration) -> list[tuple[str, str]]:
    language = current_language()
    return [
        (answer.question.label(language), answers.display(answer, language))
        for answer in sorted(registration.answers, key=lambda a: a.question.position)
    ]


def _back(token: str):
    return no_referrer(redirect(url_for("public.manage", token=token), code=303))


@bp.route("/pieteikums/<token>", methods=["GET", "POST"])
def manage(token: str):
    """The person's private page: see, change or cancel the registration."""
    registration = _registration_or_404(token)
    form = ChangeDetailsForm(
        registration.event,
        phone=registration.phone,
        needs=registration.needs,
        pickup_stop=str(registration.pickup_stop_id or ""),
    )
    if request.method == "GET" or not form.validate_on_submit():
        return _render_manage(registration, token, form, 422 if form.errors else 200)
    try:
        booking.update_details(registration.id, **form.to_command())
    except DomainError as error:
        return _render_manage(registration, token, form, 409, error=error.message)
    flash(_("Your changes have been saved."), "success")
    return _back(token)


@bp.post("/pieteikums/<token>/atbildes")
def manage_answers(token: str):
    """The person changes their answers to the event's questions."""
    registration = _registration_or_404(token)
    form = _answers_form(registration, request.form)
    if form is None:
        abort(404)
    details = ChangeDetailsForm(
        registration.event,
        phone=registration.phone,
        needs=registration.needs,
        pickup_stop=str(registration.pickup_stop_id or ""),
    )
    if not form.validate_on_submit():
        return _render_manage(registration, token, details, 422, answers_form=form)
    try:
        booking.update_answers(registration.id, form.to_command())
    except InvalidAnswers as error:
        form.show_answer_errors(error.errors)
        return _render_manage(registration, token, details, 409, answers_form=form)
    except DomainError as error:
        return _render_manage(registration, token, details, 409, error=error.message)
    flash(_("Your answers have been saved."), "success")
    return _back(token)


@bp.post("/pieteikums/<token>/apstiprinat")
def confirm_address(token: str):
    """The person confirms their address (double opt-in): a button, never a link, so that
    a mail program that opens links by itself confirms nothing."""
    registration = _registration_or_404(token)
    if ConfirmForm().validate_on_submit():
        if opt_in.confirm_address(registration.id):
            flash(_("Thank you: your address is confirmed and your place is kept."), "success")
        else:
            flash(
                _("This registration is no longer active, so there is nothing to confirm."), "error"
            )
    return _back(token)


@bp.route("/pieteikums/<token>/atcelt", methods=["GET", "POST"])
def cancel(token: str):
    """Cancelling asks once more; only the POST changes anything."""
    registration = _registration_or_404(token)
    form = ConfirmForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            booking.cancel(registration.id)
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(_("Your registration has been cancelled."), "success")
        return _back(token)
    if registration.status is RegistrationStatus.CANCELLED:
        return no_referrer(redirect(url_for("public.manage", token=token)))
    return _confirm_page(registration, token, form, None)


def _confirm_page(registration, token, form, companion, whole_group=False):
    return no_referrer(
        make_response(
            render_template(
                "public/cancel.html",
                registration=registration,
                event=registration.event,
                token=token,
                form=form,
                companion=companion,
                whole_group=whole_group,
            )
        )
    )


@bp.route("/pieteikums/<token>/atcelt/<id:companion_id>", methods=["GET", "POST"])
def cancel_companion(token: str, companion_id: int):
    """The person who signed a group up cancels one companion."""
    lead = _registration_or_404(token)
    companion = next((c for c in groups.companions_of(lead) if c.id == companion_id), None)
    if companion is None:
        abort(404)
    form = ConfirmForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            booking.cancel_group(lead.id, companion.id)
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(_("The registration of %(name)s has been cancelled.", name=companion.full_name))
        return _back(token)
    if companion.status is RegistrationStatus.CANCELLED:
        return _back(token)
    return _confirm_page(lead, token, form, companion)


@bp.route("/pieteikums/<token>/atcelt-grupu", methods=["GET", "POST"])
def cancel_group(token: str):
    """The person who signed a group up cancels everyone in it, themselves included."""
    lead = _registration_or_404(token)
    if lead.lead_id is not None:
        abort(404)
    form = ConfirmForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            booking.cancel_group(lead.id)
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(_("The registrations of the whole group have been cancelled."), "success")
        return _back(token)
    return _confirm_page(lead, token, form, None, whole_group=True)


@bp.get("/pieteikums/<token>/kalendars.ics")
def manage_calendar(token: str):
    """The person's own calendar entry (with their pickup stop or join link)."""
    registration = _registration_or_404(token)
    if not registration.is_active:
        abort(404)
    response = make_response(
        personal_calendar(registration, external_url("public.manage", token=token))
    )
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{registration.event.slug}.ics"'
    )
    return no_referrer(response)
