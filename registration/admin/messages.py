"""Writing to an event's participants: the confirmed, the waiting, everyone registered, and
after the event those who attended or did not come.

The message goes through the mail outbox: one row per person, committed, then delivered.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import ngettext

from ..mail.announcements import send_to_participants
from ..mail.messages import audience_sizes
from ..services import DomainError
from . import bp
from .access import current_organiser
from .forms import MessageForm
from .lookup import event_or_404


@bp.route("/events/<id:event_id>/message", methods=["GET", "POST"])
def message(event_id: int):
    event = event_or_404(event_id)
    form = MessageForm()
    if form.validate_on_submit():
        try:
            count = send_to_participants(event.id, **form.to_command(), actor=current_organiser())
        except DomainError as error:
            flash(str(error.message), "error")  # shown on the form, with the text kept
        else:
            flash(
                ngettext(
                    "The message will be sent to %(num)d person.",
                    "The message will be sent to %(num)d people.",
                    count,
                ),
                "success" if count else "warning",
            )
            return redirect(url_for("admin.event", event_id=event.id))
    return render_template(
        "admin/message.html", event=event, form=form, sizes=audience_sizes(event)
    )
