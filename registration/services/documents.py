"""Result documents of projects: uploaded, described, ordered, replaced and withdrawn.

A document's public address (/dokumenti/<id>) never changes: replacing the file keeps it,
so links in reports and posts stay good. A document is public while it is published and its
project's page is public.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import AuditAction, Document, Event, Organiser, Project
from . import DomainError, NotFound, audit, unit_of_work, uploads
from .projects import PUBLIC_STATUSES
from .publishing import raise_if, refresh_public_pages


@dataclass
class DocumentDetails:
    title: str
    project_id: int
    description: str = ""
    event_id: int | None = None


def details_of(document: Document) -> DocumentDetails:
    return DocumentDetails(
        title=document.title,
        project_id=document.project_id,
        description=document.description,
        event_id=document.event_id,
    )


def _check(details: DocumentDetails) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not details.title.strip():
        errors["title"] = _("Enter the document's title.")
    if db.session.get(Project, details.project_id) is None:
        errors["project_id"] = _("Choose one of the options in the list.")
    if details.event_id is not None and db.session.get(Event, details.event_id) is None:
        errors["event_id"] = _("Choose one of the options in the list.")
    return errors


def _get(document_id: int) -> Document:
    document = db.session.scalar(
        sa.select(Document).where(Document.id == document_id).with_for_update()
    )
    if document is None:
        raise NotFound(_("This document was not found."))
    return document


def get_document(document_id: int) -> Document | None:
    return db.session.get(Document, document_id)


def _last_position(project_id: int) -> int:
    query = sa.select(sa.func.max(Document.position)).where(Document.project_id == project_id)
    return db.session.scalar(query) or 0


def add_document(
    details: DocumentDetails, upload: uploads.Upload, *, actor: Organiser | None
) -> Document:
    """Store the file and publish the document at the end of its project's list."""
    with unit_of_work():
        raise_if(_check(details))
        document = Document(
            title=details.title.strip(),
            description=details.description.strip(),
            project_id=details.project_id,
            event_id=details.event_id,
            position=_last_position(details.project_id) + 1,
            is_published=True,
        )
        document.file = uploads.store(upload, uploads.Purpose.DOCUMENT)
        db.session.add(document)
        refresh_public_pages()
        audit.record(
            AuditAction.DOCUMENT_ADDED,
            actor,
            subject=document.title,
            file=document.file.original_name,
            published=True,
        )
    return document


def update_document(
    document_id: int, details: DocumentDetails, *, actor: Organiser | None
) -> set[str]:
    with unit_of_work():
        document = _get(document_id)
        raise_if(_check(details))
        before = details_of(document)
        if details.project_id != document.project_id:
            document.position = _last_position(details.project_id) + 1
        document.title = details.title.strip()
        document.description = details.description.strip()
        document.project_id = details.project_id
        document.event_id = details.event_id
        after = details_of(document)
        changed = {name for name in vars(before) if getattr(before, name) != getattr(after, name)}
        if changed:
            refresh_public_pages()
            audit.record(
                AuditAction.DOCUMENT_CHANGED, actor, subject=document.title, fields=sorted(changed)
            )
    return changed


def replace_file(document_id: int, upload: uploads.Upload, *, actor: Organiser | None) -> Document:
    """A new file behind the same public address; the old one is removed after the commit."""
    with unit_of_work():
        document = _get(document_id)
        old = document.file
        document.file = uploads.store(upload, uploads.Purpose.DOCUMENT)
        uploads.discard(old)
        refresh_public_pages()
        audit.record(
            AuditAction.DOCUMENT_REPLACED,
            actor,
            subject=document.title,
            file=document.file.original_name,
            previous=old.original_name,
        )
    return document


def set_published(document_id: int, published: bool, *, actor: Organiser | None) -> Document:
    with unit_of_work():
        document = _get(document_id)
        if document.is_published == published:
            raise DomainError(
                _("The document is already public.")
                if published
                else _("The document is already withdrawn.")
            )
        document.is_published = published
        action = AuditAction.DOCUMENT_PUBLISHED if published else AuditAction.DOCUMENT_UNPUBLISHED
        refresh_public_pages()
        audit.record(action, actor, subject=document.title)
    return document


def move(document_id: int, step: int, *, actor: Organiser | None) -> None:
    """Move a document one place up (-1) or down (+1) in its project's list."""
    with unit_of_work():
        document = _get(document_id)
        siblings = project_documents(document.project_id)
        index = next(i for i, d in enumerate(siblings) if d.id == document.id)
        target = index + step
        if not 0 <= target < len(siblings):
            return
        siblings[index], siblings[target] = siblings[target], siblings[index]
        for position, sibling in enumerate(siblings, start=1):
            sibling.position = position
        refresh_public_pages()
        audit.record(
            AuditAction.DOCUMENT_CHANGED, actor, subject=document.title, fields=["position"]
        )


# -- reading --------------------------------------------------------------------------------


def _ordered(query):
    return query.order_by(Document.position, Document.id).options(selectinload(Document.file))


def project_documents(project_id: int) -> list[Document]:
    """All of a project's documents, published or not, in their order."""
    return list(
        db.session.scalars(_ordered(sa.select(Document).where(Document.project_id == project_id)))
    )


def all_documents() -> list[Document]:
    query = sa.select(Document).order_by(Document.project_id, Document.position, Document.id)
    return list(
        db.session.scalars(
            query.options(selectinload(Document.file), selectinload(Document.project))
        )
    )


def public_documents(project_id: int) -> list[Document]:
    query = sa.select(Document).where(Document.project_id == project_id, Document.is_published)
    return list(db.session.scalars(_ordered(query)))


def public_document(document_id: int) -> Document | None:
    """The document if the public may download it."""
    query = (
        sa.select(Document)
        .join(Document.project)
        .where(
            Document.id == document_id,
            Document.is_published,
            Project.status.in_(PUBLIC_STATUSES),
        )
        .options(selectinload(Document.file))
    )
    return db.session.scalar(query)


def event_materials(event_id: int) -> list[Document]:
    """The documents attached to an event (slides, handouts) that the public may download,
    in their order: listed on the event page after it ends, linked from the thank-you."""
    query = (
        sa.select(Document)
        .join(Document.project)
        .where(
            Document.event_id == event_id,
            Document.is_published,
            Project.status.in_(PUBLIC_STATUSES),
        )
    )
    return list(db.session.scalars(_ordered(query)))
