"""Result documents: upload, describe, reorder, replace the file, withdraw and publish."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..services import DomainError, documents, post_drafts, projects
from . import bp
from .access import current_organiser
from .content_forms import DocumentForm, NewDocumentForm, ReplaceFileForm
from .forms import ActionForm, save_or_show
from .lookup import found, number_arg


def _choices(document=None) -> dict:
    return {
        "projects": projects.offered_projects(document.project_id if document else None),
        "events": post_drafts.events_to_link(
            [document.event_id] if document and document.event_id else []
        ),
    }


def _back(document) -> str:
    return url_for("admin.project", project_id=document.project_id)


@bp.route("/documents/new", methods=["GET", "POST"])
def document_new():
    if request.method == "GET":
        project_id = number_arg("project", None)
        form = NewDocumentForm(data={"project_id": str(project_id or "")}, **_choices())
        return render_template("admin/document_form.html", form=form, document=None)
    form = NewDocumentForm(**_choices())
    if form.validate():
        command = form.to_command()
        if command["upload"] is None:
            form.file.errors = [*form.file.errors, _("Choose a file to upload.")]
        else:
            document = save_or_show(
                form,
                lambda: documents.add_document(**command, actor=current_organiser()),
                file_field=form.file,
            )
            if document is not None:
                flash(_("The document is published on the project's page."), "success")
                return redirect(_back(document))
    return render_template("admin/document_form.html", form=form, document=None), 422


@bp.route("/documents/<id:document_id>", methods=["GET", "POST"])
def document_edit(document_id: int):
    document = found(documents.get_document(document_id))
    if request.method == "GET":
        details = documents.details_of(document)
        data = {
            "title": details.title,
            "description": details.description,
            "project_id": str(details.project_id),
            "event_id": str(details.event_id or ""),
        }
        form = DocumentForm(data=data, **_choices(document))
    else:
        form = DocumentForm(**_choices(document))
        if form.validate():
            changed = save_or_show(
                form,
                lambda: documents.update_document(
                    document.id, **form.to_command(), actor=current_organiser()
                ),
            )
            if changed is not None:
                flash(
                    _("The changes are saved.") if changed else _("Nothing was changed."), "success"
                )
                return redirect(_back(document))
    return render_template(
        "admin/document_form.html",
        form=form,
        document=document,
        replace_form=ReplaceFileForm(),
        action_form=ActionForm(),
    ), (422 if form.errors else 200)


@bp.route("/documents/<id:document_id>/replace", methods=["POST"])
def document_replace(document_id: int):
    document = found(documents.get_document(document_id))
    form = ReplaceFileForm()
    upload = form.to_command()["upload"] if form.validate_on_submit() else None
    if upload is None:
        form.file.errors = [*form.file.errors, _("Choose a file to upload.")]
    else:
        replaced = save_or_show(
            form,
            lambda: documents.replace_file(document.id, upload, actor=current_organiser()),
            file_field=form.file,
        )
        if replaced is not None:
            flash(_("The file is replaced; the document's address stays the same."), "success")
            return redirect(url_for("admin.document_edit", document_id=document.id))
    details = documents.details_of(document)
    edit_form = DocumentForm(
        data={
            "title": details.title,
            "description": details.description,
            "project_id": str(details.project_id),
            "event_id": str(details.event_id or ""),
        },
        **_choices(document),
    )
    return render_template(
        "admin/document_form.html",
        form=edit_form,
        document=document,
        replace_form=form,
        action_form=ActionForm(),
    ), 422


def _action(document_id: int, operation, done: str):
    document = found(documents.get_document(document_id))
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        operation()
    except DomainError as error:
        flash(str(error.message), "error")
    else:
        if done:
            flash(done, "success")
    return redirect(_back(document))


@bp.post("/documents/<id:document_id>/publish")
def document_publish(document_id: int):
    return _action(
        document_id,
        lambda: documents.set_published(document_id, True, actor=current_organiser()),
        _("The document is public again."),
    )


@bp.post("/documents/<id:document_id>/unpublish")
def document_unpublish(document_id: int):
    return _action(
        document_id,
        lambda: documents.set_published(document_id, False, actor=current_organiser()),
        _("The document is withdrawn from the project's page."),
    )


@bp.post("/documents/<id:document_id>/move")
def document_move(document_id: int):
    step = {"up": -1, "down": 1}.get(request.form.get("direction", ""))
    if step is None:
        abort(400)
    return _action(
        document_id, lambda: documents.move(document_id, step, actor=current_organiser()), ""
    )
