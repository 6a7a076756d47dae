"""Cleaning up: removing sign-ups as junk, and the block list of addresses and domains."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..services import DomainError, blocklist, junk, participants
from . import bp
from .access import current_organiser
from .forms import ActionForm, BlockForm, JunkForm
from .lookup import event_or_404

#: More than a page of sign-ups at once is not a choice anyone made by hand.
MAX_AT_ONCE = 500


def _chosen_ids(values: list[str]) -> list[int]:
    return [int(v) for v in values[:MAX_AT_ONCE] if v.isascii() and v.isdigit() and len(v) < 11]


@bp.route("/events/<id:event_id>/junk", methods=["GET", "POST"])
def junk_review(event_id: int):
    """The ticked sign-ups once more, then (POST) removed as junk."""
    event = event_or_404(event_id)
    form = JunkForm()
    chosen = participants.holding_a_place(
        event, _chosen_ids(request.form.getlist("registration_ids") or request.args.getlist("r"))
    )
    form.registration_ids.choices = [(r.id, r.full_name) for r in chosen]
    if request.method == "POST" and form.validate_on_submit():
        try:
            removed = junk.remove(event.id, **form.to_command(), actor=current_organiser())
        except DomainError as error:
            flash(str(error.message), "error")
        else:
            flash(
                _(
                    "Removed as junk: %(count)s. Seats given from the waiting list: %(promoted)s.",
                    count=removed.registrations,
                    promoted=removed.promoted,
                ),
                "success",
            )
            return redirect(url_for("admin.participants_list", event_id=event.id))
    if not chosen:
        flash(_("Tick the sign-ups to remove first."), "warning")
        return redirect(url_for("admin.participants_list", event_id=event.id))
    return render_template("admin/junk.html", event=event, chosen=chosen, form=form)


@bp.route("/blocklist", methods=["GET", "POST"])
def blocklist_page():
    form = BlockForm()
    if form.validate_on_submit():
        try:
            entry = blocklist.add(**form.to_command(), actor=current_organiser())
        except DomainError as error:
            form.value.errors = [str(error.message)]
        else:
            flash(_("%(value)s is on the block list.", value=entry.value), "success")
            return redirect(url_for("admin.blocklist_page"))
    return render_template(
        "admin/blocklist.html", entries=blocklist.entries(), form=form, action_form=ActionForm()
    )


@bp.post("/blocklist/<id:entry_id>/remove")
def blocklist_remove(entry_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    value = blocklist.remove(entry_id, actor=current_organiser())
    flash(_("%(value)s is no longer blocked.", value=value), "success")
    return redirect(url_for("admin.blocklist_page"))
