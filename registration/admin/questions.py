"""An event's own sign-up questions: the list with move up/down and remove, add, edit."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..admin_labels import QUESTION_KINDS
from ..i18n import current_language
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


def _render_form(event, form, question=None, extra_errors=None, status=200):
    return (
        render_template(
            "admin/question_form.html",
            event=event,
            form=form,
            question=question,
            extra_errors=extra_errors or {},
        ),
        status,
    )


@bp.route("/events/<id:event_id>/questions/new", methods=["GET", "POST"])
def question_new(event_id: int):
    event = event_or_404(event_id)
    if request.method == "GET":
        return _render_form(event, QuestionForm(data=question_form_data()))
    form = QuestionForm()
    if not form.validate():
        return _render_form(event, form, status=422)
    try:
        questions.add_question(event.id, **form.to_command(), actor=current_organiser())
    except InvalidEvent as error:
        return _render_form(event, form, None, apply_errors(form, error.errors), 422)
    flash(_("The question is added."), "success")
    return redirect(url_for("admin.questions_list", event_id=event.id))


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
    return redirect(url_for("admin.questions_list", event_id=event.id))


def _action(question_id: int, operation, message: str):
    question = _question_or_404(question_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    operation(question.id)
    if message:
        flash(message, "success")
    return redirect(url_for("admin.questions_list", event_id=question.event_id))


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
