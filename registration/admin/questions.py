"""An event's own sign-up questions: the list with move up/down and remove, add, edit. The
feedback form's questions are edited with the same screens (listed on the feedback page)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..admin_labels import QUESTION_KINDS
from ..i18n import current_language
from ..models import QuestionForm as AskedOn
from ..services import questions
from ..services.event_details import InvalidEvent
from . import bp
from .access import current_organiser
from .forms import ActionForm, apply_errors
from .lookup import event_or_404, found
from .question_forms import QuestionForm, question_form_data


def _question_or_404(question_id: int):
    question = found(questions.get_question(question_id))
    if question.is_removed:
        abort(404)
    return question


@bp.get("/events/<id:event_id>/questions")
def questions_list(event_id: int):
    event = event_or_404(event_id)
    return render_template(
        "admin/questions.html",
        event=event,
        questions=event.asked_questions,
        kinds=QUESTION_KINDS,
        language=current_language(),
        action_form=ActionForm(),
    )


def _list_url(event_id: int, asked_on: AskedOn) -> str:
    if asked_on is AskedOn.FEEDBACK:
        return url_for("admin.feedback_page", event_id=event_id)
    return url_for("admin.questions_list", event_id=event_id)


def _render_form(event, form, question=None, extra_errors=None, status=200, asked_on=None):
    asked_on = asked_on or (question.form if question is not None else AskedOn.SIGNUP)
    return (
        render_template(
            "admin/question_form.html",
            event=event,
            form=form,
            question=question,
            extra_errors=extra_errors or {},
            back_url=_list_url(event.id, asked_on),
            is_feedback=asked_on is AskedOn.FEEDBACK,
        ),
        status,
    )


def _new(event_id: int, asked_on: AskedOn):
    event = event_or_404(event_id)
    if request.method == "GET":
        return _render_form(event, QuestionForm(data=question_form_data()), asked_on=asked_on)
    form = QuestionForm()
    if not form.validate():
        return _render_form(event, form, status=422, asked_on=asked_on)
    try:
        questions.add_question(
            event.id, **form.to_command(), actor=current_organiser(), form=asked_on
        )
    except InvalidEvent as error:
        extra = apply_errors(form, error.errors)
        return _render_form(event, form, None, extra, 422, asked_on=asked_on)
    flash(_("The question is added."), "success")
    return redirect(_list_url(event.id, asked_on))


@bp.route("/events/<id:event_id>/questions/new", methods=["GET", "POST"])
def question_new(event_id: int):
    return _new(event_id, AskedOn.SIGNUP)


@bp.route("/events/<id:event_id>/feedback/questions/new", methods=["GET", "POST"])
def feedback_question_new(event_id: int):
    return _new(event_id, AskedOn.FEEDBACK)


@bp.route("/questions/<id:question_id>", methods=["GET", "POST"])
def question_edit(question_id: int):
    question = _question_or_404(question_id)
    event = event_or_404(question.event_id)
    if request.method == "GET":
        return _render_form(event, QuestionForm(data=question_form_data(question)), question)
    form = QuestionForm()
    form.kind.data = question.kind.value  # fixed once made
    if not form.validate():
        return _render_form(event, form, question, status=422)
    try:
        questions.update_question(question.id, **form.to_command(), actor=current_organiser())
    except InvalidEvent as error:
        return _render_form(event, form, question, apply_errors(form, error.errors), 422)
    flash(_("The question is saved."), "success")
    return redirect(_list_url(event.id, question.form))


def _action(question_id: int, operation, message: str):
    question = _question_or_404(question_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    operation(question.id)
    if message:
        flash(message, "success")
    return redirect(_list_url(question.event_id, question.form))


@bp.post("/questions/<id:question_id>/up")
def question_up(question_id: int):
    return _action(
        question_id, lambda i: questions.move_question(i, -1, actor=current_organiser()), ""
    )


@bp.post("/questions/<id:question_id>/down")
def question_down(question_id: int):
    return _action(
        question_id, lambda i: questions.move_question(i, +1, actor=current_organiser()), ""
    )


@bp.post("/questions/<id:question_id>/remove")
def question_remove(question_id: int):
    return _action(
        question_id,
        lambda i: questions.remove_question(i, actor=current_organiser()),
        _("The question is removed from the form. The answers given stay in the exports."),
    )
