"""What heads the documents a funder receives: the project, the organisation, the funder's
line and logo."""

from __future__ import annotations

from flask_babel import gettext as _

from .. import pdf
from ..models import Project
from . import organisation, uploads


def _logo(project: Project):
    stored = project.funder_logo
    if stored is None or not stored.kind.is_image:
        return None
    path = uploads.path_of(stored.name)
    return path if path is not None and path.is_file() else None


def _organisation_line() -> str:
    details = organisation.details()
    who = details.name
    if details.registration_number:
        who += ", " + _("reg. No. %(number)s", number=details.registration_number)
    if details.address:
        who += ", " + details.address
    return who


def for_organisation() -> pdf.Letterhead:
    return pdf.Letterhead(lines=[_organisation_line()])


def for_project(project: Project) -> pdf.Letterhead:
    title = project.title
    if project.code:
        title = _("%(title)s (No. %(code)s)", title=title, code=project.code)
    return pdf.Letterhead(
        lines=[title, _organisation_line()],
        funding_line=project.funding_line or "",
        logo=_logo(project),
    )
