"""The feedback form after an event, reached through the person's own feedback link, and the
attendance certificate downloaded from the private page.

Both pages send no Referer (the link's token stays out of other sites' logs)."""

from __future__ import annotations

from flask import abort, make_response, redirect, render_template, request, url_for

from ..i18n import current_language
from ..services import DomainError, NotFound, certificates, feedback, tokens
from ..services.answers import InvalidAnswers
from ..web import no_referrer
from . import bp
from .forms import change_answers_form


def _page(registration, form, *, status=200, message=None, slug=""):
    return no_referrer(
        make_response(
            render_template(
                "public/feedback.html",
                event=registration.event if registration is not None else None,
                form=form,
                message=message,
                slug=slug,
            ),
            status,
        )
    )


@bp.route("/notikumi/<slug>/atsauksme/<token>", methods=["GET", "POST"])
def feedback_form(slug: str, token: str):
    """The form; a refusal (closed, sent before, another event's link) as a clear sentence."""
    try:
        registration = feedback.registration_for(slug, token)
    except NotFound:
        abort(404)
    except DomainError as error:
        return _page(None, None, status=404, message=error.message, slug=slug)
    refusal = feedback.refusal(registration)
    if refusal is not None:
        return _page(
            registration,
            None,
            status=200 if feedback.has_answered(registration) else 403,
            message=refusal,
        )
    form = change_answers_form(
        feedback.asked_questions(registration.event),
        current_language(),
        formdata=request.form if request.method == "POST" else None,
    )
    if request.method == "GET" or not form.validate_on_submit():
        return _page(registration, form, status=422 if form.errors else 200)
    try:
        feedback.submit(slug, token, form.to_command())
    except InvalidAnswers as error:
        form.show_answer_errors(error.errors)
        return _page(registration, form, status=422)
    except DomainError as error:
        return _page(registration, None, status=409, message=error.message)
    return no_referrer(redirect(url_for("public.feedback_received", slug=slug), code=303))


@bp.get("/notikumi/<slug>/atsauksme-sanemta")
def feedback_received(slug: str):
    return render_template("public/feedback_received.html")


@bp.get("/pieteikums/<token>/apliecinajums.pdf")
def certificate(token: str):
    """The person's attendance certificate; 404 for a wrong link, a clear page otherwise."""
    registration = tokens.find_by_token(token)
    if registration is None:
        abort(404)
    try:
        pdf = certificates.certificate_for(registration.id)
    except DomainError as error:
        return _page(registration, None, status=403, message=error.message)
    response = make_response(pdf.data)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{pdf.filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return no_referrer(response)
