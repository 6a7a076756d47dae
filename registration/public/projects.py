"""Projects as the public sees them: the list, and a project's page built from its data."""

from __future__ import annotations

from flask import abort, render_template

from ..services import policy, project_pages, projects
from . import bp


@bp.get("/projekti")
def project_list():
    return render_template("public/projects.html", projects=projects.public_projects())


@bp.get("/projekti/<slug>")
def project_detail(slug: str):
    project = projects.public_project(slug)
    if project is None:
        abort(404)
    return render_template(
        "public/project.html",
        page=project_pages.project_page(project),
        project=project,
        state_of=policy.registration_state,
    )
