"""The organisation's own details (administrators): name, number, address, contacts, logo."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..services import DomainError, organisation
from ..services.file_types import RefusedFile
from . import bp
from .access import current_organiser
from .content_forms import OrganisationForm


@bp.route("/organisation", methods=["GET", "POST"])
def organisation_details():
    details = organisation.details()
    if request.method == "GET":
        form = OrganisationForm(
            data={
                "name": details.name,
                "registration_number": details.registration_number,
                "address": details.address,
                "email": details.email,
                "phone": details.phone,
                "website": details.website,
            }
        )
        return render_template("admin/organisation.html", form=form, details=details)
    form = OrganisationForm()
    if form.validate():
        try:
            organisation.save(**form.to_command(), actor=current_organiser())
        except RefusedFile as error:
            form.logo.errors = [*form.logo.errors, error.message]
        except DomainError as error:
            form.name.errors = [*form.name.errors, error.message]
        else:
            flash(_("The organisation's details are saved."), "success")
            return redirect(url_for("admin.organisation_details"))
    return render_template("admin/organisation.html", form=form, details=details), 422
