"""Email that could not be delivered: the list, with the mail server's reason, and a button
that sends a message again (after the address was corrected, or the server fixed)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from ..mail import undelivered
from ..services import DomainError
from . import bp
from .access import current_organiser
from .forms import ActionForm
from .lookup import event_or_404, number_arg


@bp.get("/mail/failed")
def failed_mail():
    event_id = number_arg("event", None)
    event = event_or_404(event_id) if event_id is not None else None
    return render_template(
        "admin/failed_mail.html",
        failed=undelivered.failed_messages(event_id),
        event=event,
        action_form=ActionForm(),
    )


@bp.post("/mail/<id:message_id>/retry")
def failed_mail_retry(message_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        message = undelivered.retry(message_id, actor=current_organiser())
    except DomainError as error:
        flash(str(error.message), "error")
    else:
        flash(
            _("The message to %(recipient)s will be sent again.", recipient=message.recipient),
            "success",
        )
    # Back to the list the button was on: one event's, or all.
    return redirect(url_for("admin.failed_mail", event=number_arg("event", None)))
