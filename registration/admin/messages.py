"""Writing to an event's participants: the confirmed, the waiting, or everyone registered.

The message goes through the mail outbox: one row per person, committed, then delivered.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import ngettext

from ..extensions import db
from ..models import AuditAction
from ..services import audit, event_admin
from ..services.statistics import figures_by_event
from . import bp
from .access import current_organiser
from .forms import MessageForm


@bp.route("/events/<int:event_id>/message", methods=["GET", "POST"])
def message(event_id: int):
    from ..mail.messages import queue_participant_message

    event = event_admin.get_event(event_id)
    form = MessageForm()
    if form.validate_on_submit():
        actor = current_organiser()
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
        db.session.commit()
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
