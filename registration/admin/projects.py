"""Projects: the list, create and edit, publish and archive, and a project's own screen."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..models import ProjectStatus
from ..services import DomainError, documents, posts, project_pages, projects, statistics
from . import bp
from .access import current_organiser
from .content_forms import ProjectForm
from .forms import ActionForm, save_or_show
from .lookup import found


@bp.get("/projects")
def project_list():
    return render_template("admin/projects.html", projects=projects.all_projects())


@bp.get("/projects/<id:project_id>")
def project(project_id: int):
    project = found(projects.get_project(project_id))
    page = project_pages.project_page(project)
    events = page.upcoming + [past.event for past in page.past]
    return render_template(
        "admin/project.html",
        project=project,
        events=events,
        figures=statistics.figures_by_event(e.id for e in events),
        documents=documents.project_documents(project.id),
        posts=[p for p in posts.all_posts() if p.project_id == project.id],
        action_form=ActionForm(),
    )


def _render_form(form, project=None, status=200):
    return render_template("admin/project_form.html", form=form, project=project), status


@bp.route("/projects/new", methods=["GET", "POST"])
def project_new():
    form = ProjectForm()
    if request.method == "GET" or not form.validate():
        return _render_form(form, status=422 if form.errors else 200)
    created = save_or_show(
        form,
        lambda: projects.create_project(**form.to_command(), actor=current_organiser()),
        file_field=form.funder_logo,
    )
    if created is None:
        return _render_form(form, status=422)
    flash(_("The project is saved as a draft. Publish it when its page is ready."), "success")
    return redirect(url_for("admin.project", project_id=created.id))


@bp.route("/projects/<id:project_id>/edit", methods=["GET", "POST"])
def project_edit(project_id: int):
    project = found(projects.get_project(project_id))
    if request.method == "GET":
        form = ProjectForm(data=vars(projects.details_of(project)))
        return _render_form(form, project)
    form = ProjectForm()
    if not form.validate():
        return _render_form(form, project, 422)
    changed = save_or_show(
        form,
        lambda: projects.update_project(
            project.id,
            **form.to_command(),
            remove_logo=form.remove_logo.data,
            actor=current_organiser(),
        ),
        file_field=form.funder_logo,
    )
    if changed is None:
        return _render_form(form, project, 422)
    flash(_("The changes are saved.") if changed else _("Nothing was changed."), "success")
    return redirect(url_for("admin.project", project_id=project.id))


_STATUS_MESSAGES = {
    ProjectStatus.PUBLISHED: _l("The project's page is public."),
    ProjectStatus.ARCHIVED: _l("The project is archived. Its page stays public."),
    ProjectStatus.DRAFT: _l("The project is a draft again; its page is not public."),
}


@bp.post("/projects/<id:project_id>/status")
def project_status(project_id: int):
    found(projects.get_project(project_id))
    form = ActionForm()
    try:
        status = ProjectStatus(request.form.get("status", ""))
    except ValueError:
        status = None
    if status is None or not form.validate_on_submit():
        flash(_("The form was changed outside this page."), "error")
        return redirect(url_for("admin.project", project_id=project_id))
    try:
        projects.set_status(project_id, status, actor=current_organiser())
    except DomainError as error:
        flash(str(error.message), "error")
    else:
        flash(str(_STATUS_MESSAGES[status]), "success")
    return redirect(url_for("admin.project", project_id=project_id))
