"""Funded projects: the organisers' work on them and what their public page holds.

A project is a draft until published; published and archived projects have a public page
(funders expect publicity to stay up after the project ends); an archived one is no longer
offered for new events, posts or documents.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _

from ..extensions import db
from ..models import (
    AuditAction,
    Document,
    Event,
    EventStatus,
    Organiser,
    Post,
    PostStatus,
    Project,
    ProjectStatus,
)
from . import DomainError, NotFound, audit, unit_of_work, uploads
from .publishing import choose_slug, raise_if, refresh_public_pages

PUBLIC_STATUSES = (ProjectStatus.PUBLISHED, ProjectStatus.ARCHIVED)


@dataclass
class ProjectDetails:
    """Everything the project form sets (the logo comes separately, as an upload)."""

    title: str
    slug: str = ""
    code: str | None = None
    funder: str | None = None
    programme: str = ""
    starts_on: date | None = None
    ends_on: date | None = None
    amount: Decimal | None = None
    support_intensity: Decimal | None = None
    implementation_place: str = ""
    description: str = ""
    goal: str = ""
    activities: str = ""
    expected_results: str = ""
    target_groups: str = ""
    funding_line: str | None = None


#: Columns copied from ProjectDetails as they are (the slug is chosen separately).
_COLUMNS = tuple(f.name for f in fields(ProjectDetails) if f.name != "slug")


def details_of(project: Project) -> ProjectDetails:
    return ProjectDetails(slug=project.slug, **{name: getattr(project, name) for name in _COLUMNS})


def _check(details: ProjectDetails, own_id: int | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not details.title.strip():
        errors["title"] = _("Enter the project's title.")
    if details.code:
        query = sa.select(Project.id).where(Project.code == details.code)
        if own_id is not None:
            query = query.where(Project.id != own_id)
        if db.session.scalar(query.limit(1)) is not None:
            errors["code"] = _("Another project already has this number.")
    if details.starts_on and details.ends_on and details.ends_on < details.starts_on:
        errors["ends_on"] = _("The project cannot end before it starts.")
    if details.amount is not None and not Decimal(0) <= details.amount < Decimal("1e10"):
        errors["amount"] = _("Enter the amount in euros, for example 6460,64.")
    if details.support_intensity is not None and not (
        Decimal(0) <= details.support_intensity <= Decimal(100)
    ):
        errors["support_intensity"] = _("Enter a percentage from 0 to 100.")
    return errors


def _get(project_id: int, *, lock: bool = False) -> Project:
    query = sa.select(Project).where(Project.id == project_id)
    if lock:
        query = query.with_for_update()
    project = db.session.scalar(query)
    if project is None:
        raise NotFound(_("This project was not found."))
    return project


def get_project(project_id: int) -> Project | None:
    return db.session.get(Project, project_id)


def create_project(
    details: ProjectDetails, *, funder_logo: uploads.Upload | None = None, actor: Organiser | None
) -> Project:
    """A new draft project."""
    with unit_of_work():
        raise_if(_check(details, None))
        project = Project(status=ProjectStatus.DRAFT)
        _fill(project, details)
        project.slug = choose_slug(Project, details.slug, details.title, "projekts")
        if funder_logo is not None:
            project.funder_logo = uploads.store(funder_logo, uploads.Purpose.LOGO)
        db.session.add(project)
        refresh_public_pages()
        audit.record(AuditAction.PROJECT_CREATED, actor, subject=project.title)
    return project


def update_project(
    project_id: int,
    details: ProjectDetails,
    *,
    funder_logo: uploads.Upload | None = None,
    remove_logo: bool = False,
    actor: Organiser | None,
) -> set[str]:
    """Save the form, all of it or nothing; the names of the fields that changed."""
    with unit_of_work():
        project = _get(project_id, lock=True)
        raise_if(_check(details, project.id))
        before = details_of(project)
        _fill(project, details)
        project.slug = choose_slug(
            Project, details.slug or project.slug, details.title, "projekts", project.id
        )
        changed = {f for f in _COLUMNS if getattr(before, f) != getattr(project, f)}
        if before.slug != project.slug:
            changed.add("slug")
        if funder_logo is not None or (remove_logo and project.funder_logo is not None):
            old = project.funder_logo
            project.funder_logo = (
                uploads.store(funder_logo, uploads.Purpose.LOGO) if funder_logo else None
            )
            uploads.discard(old)
            changed.add("funder_logo")
        if changed:
            refresh_public_pages()
            audit.record(
                AuditAction.PROJECT_CHANGED, actor, subject=project.title, fields=sorted(changed)
            )
    return changed


def _fill(project: Project, details: ProjectDetails) -> None:
    for name in _COLUMNS:
        value = getattr(details, name)
        setattr(project, name, value.strip() if isinstance(value, str) else value)
    project.code = project.code or None
    project.funder = project.funder or None
    project.funding_line = project.funding_line or None


_STATUS_ACTIONS = {
    ProjectStatus.PUBLISHED: AuditAction.PROJECT_PUBLISHED,
    ProjectStatus.ARCHIVED: AuditAction.PROJECT_ARCHIVED,
    ProjectStatus.DRAFT: AuditAction.PROJECT_CHANGED,
}


def set_status(project_id: int, status: ProjectStatus, *, actor: Organiser | None) -> Project:
    """Publish, archive, or take back to a draft (only while nothing public belongs to it)."""
    with unit_of_work():
        project = _get(project_id, lock=True)
        if project.status is status:
            raise DomainError(_("The project already has this status."))
        if status is ProjectStatus.DRAFT and _has_public_content(project):
            raise DomainError(
                _(
                    "Published events, posts or documents belong to this project, so its page "
                    "must stay public. Archive the project instead."
                )
            )
        project.status = status
        refresh_public_pages()
        audit.record(_STATUS_ACTIONS[status], actor, subject=project.title, status=status.value)
    return project


def _has_public_content(project: Project) -> bool:
    checks = (
        sa.select(Event.id).where(
            Event.project_id == project.id, Event.status != EventStatus.DRAFT
        ),
        sa.select(Post.id).where(
            Post.project_id == project.id, Post.status == PostStatus.PUBLISHED
        ),
        sa.select(Document.id).where(Document.project_id == project.id, Document.is_published),
    )
    return any(db.session.scalar(query.limit(1)) is not None for query in checks)


# -- reading --------------------------------------------------------------------------------


def all_projects() -> list[Project]:
    """Every project for the back office: running first, newest first."""
    order = sa.case((Project.status == ProjectStatus.ARCHIVED, 1), else_=0)
    query = sa.select(Project).order_by(order, Project.starts_on.desc().nulls_last(), Project.id)
    return list(db.session.scalars(query))


def offered_projects(current_id: int | None = None) -> list[Project]:
    """Projects a new event, post or document may join (an archived one only if already
    chosen, so that editing an old event keeps its project)."""
    return [
        p for p in all_projects() if p.status is not ProjectStatus.ARCHIVED or p.id == current_id
    ]


def public_projects() -> list[Project]:
    query = (
        sa.select(Project)
        .where(Project.status.in_(PUBLIC_STATUSES))
        .order_by(Project.starts_on.desc().nulls_last(), Project.id.desc())
    )
    return list(db.session.scalars(query))


def public_project(slug: str) -> Project | None:
    if not slug or len(slug) > 120 or not slug.replace("-", "").isalnum() or not slug.isascii():
        return None
    query = sa.select(Project).where(Project.slug == slug, Project.status.in_(PUBLIC_STATUSES))
    return db.session.scalar(query)
