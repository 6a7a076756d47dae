"""Writing to an event's participants: the confirmed, the waiting, or everyone registered.

The message goes through the mail outbox: one row per person, committed, then delivered.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import ngettext

from ..models import AuditAction
from ..services import DomainError, audit, unit_of_work
from ..services.statistics import figures_by_event
from . import bp
from .access import current_organiser
from .forms import MessageForm
from .lookup import event_or_404


@bp.route("/events/<int(max=2147483647):event_id>/message", methods=["GET", "POST"])
def message(event_id: int):
    from ..mail.messages import queue_participant_message

    event = event_or_404(event_id)
    form = MessageForm()
    if form.validate_on_submit():
        actor = current_organiser()
        # One write transaction from before the recipients are read: the rows and the audit
        # entry are saved together, and on SQLite the mail sender's commits cannot make it
        # fail half-way ("database is locked").
        try:
            with unit_of_work():
                count = queue_participant_message(
                    event, form.audience.data, form.subject.data, form.body.data, sent_by=actor
                )
                audit.record(
                    AuditAction.MESSAGE_SENT,
                    actor,
                    event=event,
                    audience=form.audience.data,
                    count=count,
                    subject_line=form.subject.data,
                )
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
    figures = figures_by_event([event.id])[event.id]
    return render_template("admin/message.html", event=event, form=form, figures=figures)
