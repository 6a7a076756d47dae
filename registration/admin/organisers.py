"""Organiser accounts (administrators only)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from ..services import DomainError, organisers
from . import bp
from .access import current_organiser, start_session
from .forms import ActionForm, NewPasswordForm, OrganiserForm
from .lookup import organiser_or_404


@bp.get("/organisers")
def organiser_list():
    return render_template(
        "admin/organisers.html",
        organisers=organisers.all_organisers(),
        action_form=ActionForm(),
        me=current_organiser(),
    )


@bp.route("/organisers/new", methods=["GET", "POST"])
def organiser_new():
    form = OrganiserForm()
    if form.validate_on_submit():
        try:
            organiser = organisers.create_organiser(**form.to_command(), actor=current_organiser())
        except DomainError as error:
            form.email.errors = [*form.email.errors, str(error.message)]
        else:
            flash(_("The account %(email)s is ready.", email=organiser.email), "success")
            return redirect(url_for("admin.organiser_list"))
    return render_template("admin/organiser_new.html", form=form)


@bp.post("/organisers/<id:organiser_id>/deactivate")
def organiser_deactivate(organiser_id: int):
    return _set_active(organiser_id, active=False)


@bp.post("/organisers/<id:organiser_id>/activate")
def organiser_activate(organiser_id: int):
    return _set_active(organiser_id, active=True)


def _set_active(organiser_id: int, *, active: bool):
    organiser_or_404(organiser_id)
    if ActionForm().validate_on_submit():
        try:
            organiser = organisers.set_active(organiser_id, active, actor=current_organiser())
        except DomainError as error:
            flash(str(error.message), "error")
        else:
            message = (
                _("%(email)s can log in again.", email=organiser.email)
                if active
                else _("%(email)s can no longer log in.", email=organiser.email)
            )
            flash(message, "success")
    return redirect(url_for("admin.organiser_list"))


@bp.route("/organisers/<id:organiser_id>/password", methods=["GET", "POST"])
def organiser_password(organiser_id: int):
    organiser = organiser_or_404(organiser_id)
    form = NewPasswordForm()
    if form.validate_on_submit():
        me = current_organiser()
        try:
            organiser = organisers.reset_password(organiser.id, **form.to_command(), actor=me)
        except DomainError as error:
            form.password.errors = [*form.password.errors, str(error.message)]
        else:
            if organiser.id == me.id:
                start_session(organiser)  # other sessions end, this one carries on
            flash(
                _("The password of %(email)s has been changed.", email=organiser.email), "success"
            )
            return redirect(url_for("admin.organiser_list"))
    return render_template("admin/organiser_password.html", form=form, organiser=organiser)
