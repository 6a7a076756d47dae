"""Events: the list, create and edit, publish, withdraw, cancel and duplicate."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from ..extensions import db
from ..i18n import current_language
from ..mail import undelivered
from ..models import Event, EventStatus
from ..services import DomainError, answers, event_admin, event_details, posts, projects, statistics
from ..services.event_details import InvalidEvent, StaleForm
from ..timeutil import now_utc, to_riga
from . import bp
from .access import current_organiser
from .event_forms import CancelEventForm, DuplicateForm, EventForm, event_form_data
from .forms import ActionForm, apply_errors
from .lookup import event_or_404


@bp.get("/")
def events():
    """Drafts, upcoming and past events with their counts."""
    all_events = list(db.session.scalars(sa.select(Event).order_by(Event.starts_at, Event.id)))
    figures = statistics.figures_by_event(e.id for e in all_events)
    now = now_utc()
    drafts = [e for e in all_events if e.status is EventStatus.DRAFT]
    upcoming = [e for e in all_events if e.status is not EventStatus.DRAFT and e.ends_at > now]
    past = [e for e in all_events if e.status is not EventStatus.DRAFT and e.ends_at <= now]
    past.reverse()
    return render_template(
        "admin/events.html", drafts=drafts, upcoming=upcoming, past=past, figures=figures
    )


@bp.get("/events/<id:event_id>")
def event(event_id: int):
    event = event_or_404(event_id)
    figures = statistics.figures_by_event([event.id])[event.id]
    return render_template(
        "admin/event.html",
        event=event,
        figures=figures,
        action_form=ActionForm(),
        undelivered=undelivered.failed_count(event.id),
        answer_counts=answers.counts(event, current_language()),
        posts=posts.posts_about(event.id),
    )


def _render_form(form: EventForm, event: Event | None, extra_errors=None, status=200):
    return (
        render_template(
            "admin/event_form.html",
            form=form,
            event=event,
            extra_errors=extra_errors or {},
            offer_notice=event is not None
            and event.is_published
            and event_admin.active_count(event.id) > 0,
        ),
        status,
    )


@bp.route("/events/new", methods=["GET", "POST"])
def event_new():
    offered = projects.offered_projects(None)
    if request.method == "GET":
        form = EventForm(data=event_form_data(None), projects=offered)
        return _render_form(form, None)
    form = EventForm(projects=offered)
    if not form.validate():
        return _render_form(form, None)
    try:
        event = event_admin.create_event(**form.to_command(), actor=current_organiser())
    except InvalidEvent as error:
        return _render_form(form, None, apply_errors(form, error.errors))
    flash(_("The event is saved as a draft. Publish it when it is ready."), "success")
    return redirect(url_for("admin.event", event_id=event.id))


@bp.route("/events/<id:event_id>/edit", methods=["GET", "POST"])
def event_edit(event_id: int):
    event = event_or_404(event_id)
    offered = projects.offered_projects(event.project_id)
    if request.method == "GET":
        data = event_form_data(event_details.details_of(event))
        data["notify_participants"] = True
        return _render_form(EventForm(data=data, projects=offered), event)
    form = EventForm(projects=offered)
    if not form.validate():
        return _render_form(form, event)
    try:
        update = event_admin.update_event(
            event.id,
            **form.to_command(),
            notify=form.notify_participants.data,
            actor=current_organiser(),
        )
    except StaleForm as error:
        return _render_form(form, event, {"form": error.message}, status=400)
    except InvalidEvent as error:
        return _render_form(form, event, apply_errors(form, error.errors))
    except DomainError as error:  # e.g. the capacity, refused by the booking rules
        return _render_form(form, event, apply_errors(form, {"capacity": error.message}))
    if not update.changed:
        flash(_("Nothing was changed."), "info")
    else:
        flash(_("The changes are saved."), "success")
    if update.promoted:
        flash(
            ngettext(
                "%(num)d person got a seat from the waiting list.",
                "%(num)d people got a seat from the waiting list.",
                update.promoted,
            ),
            "success",
        )
    if update.notified:
        flash(_("The participants will be told about the change."), "success")
    return redirect(url_for("admin.event", event_id=event_id))


def _action(event_id: int, operation, done_message: str):
    event_or_404(event_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        operation(event_id, actor=current_organiser())
    except InvalidEvent as error:
        for message in error.errors.values():
            flash(str(message), "error")
        flash(_("Correct the event before publishing it."), "error")
    except DomainError as error:
        flash(str(error.message), "error")
    else:
        flash(done_message, "success")
    return redirect(url_for("admin.event", event_id=event_id))


@bp.post("/events/<id:event_id>/publish")
def event_publish(event_id: int):
    return _action(event_id, event_admin.publish, _("The event is published and open for sign-up."))


@bp.post("/events/<id:event_id>/unpublish")
def event_unpublish(event_id: int):
    return _action(
        event_id, event_admin.unpublish, _("The event is no longer public; it is a draft again.")
    )


@bp.route("/events/<id:event_id>/cancel", methods=["GET", "POST"])
def event_cancel(event_id: int):
    event = event_or_404(event_id)
    form = CancelEventForm()
    if form.validate_on_submit():
        try:
            event_admin.cancel_event(event.id, **form.to_command(), actor=current_organiser())
        except InvalidEvent as error:
            apply_errors(form, error.errors)
        except DomainError as error:
            flash(str(error.message), "error")
            return redirect(url_for("admin.event", event_id=event.id))
        else:
            flash(_("The event is cancelled. Everyone registered will be told."), "success")
            return redirect(url_for("admin.event", event_id=event.id))
    return render_template(
        "admin/event_cancel.html",
        event=event,
        form=form,
        registered=event_admin.active_count(event.id),
    )


@bp.route("/events/<id:event_id>/duplicate", methods=["GET", "POST"])
def event_duplicate(event_id: int):
    event = event_or_404(event_id)
    form = DuplicateForm()
    if request.method == "GET":
        form = DuplicateForm(
            data={
                "title": event.title,
                "starts_on": to_riga(event.starts_at).date(),
                "place": event.place or "",
                "venue_name": event.venue_name,
                "venue_address": event.venue_address,
            }
        )
    elif form.validate():
        try:
            copy = event_admin.duplicate_event(
                event.id, **form.to_command(), actor=current_organiser()
            )
        except InvalidEvent as error:
            leftover = apply_errors(form, error.errors)
            for message in leftover.values():
                flash(str(message), "error")
        else:
            flash(_("The copy is saved as a draft. Check it and publish it."), "success")
            return redirect(url_for("admin.event_edit", event_id=copy.id))
    return render_template("admin/event_duplicate.html", event=event, form=form)
