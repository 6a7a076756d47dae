"""Which stored files the public may fetch, and under what name."""

from __future__ import annotations

import re

import sqlalchemy as sa

from ..extensions import db
from ..models import Document, StoredFile
from . import documents, uploads

_RENDITION = re.compile(r"(?P<stem>[0-9a-f]{32})(?:-(?P<width>[0-9]{2,4}))?\.(?P<ext>[a-z]+)")


def public_picture(name: str) -> StoredFile | None:
    """The photo or logo stored as `name` (or one of its smaller copies).

    Only pictures shown on pages are served this way; a document's file is served only
    through its document (`public_document_file`), so withdrawing the document withdraws it.
    """
    match = _RENDITION.fullmatch(name) if uploads.path_of(name) else None
    if match is None:
        return None
    base = f"{match['stem']}.{match['ext']}"
    stored = db.session.scalar(
        sa.select(StoredFile).where(
            StoredFile.name == base,
            ~sa.exists().where(Document.file_id == StoredFile.id),
        )
    )
    if stored is None or not stored.kind.is_image:
        return None
    if match["width"] and int(match["width"]) not in (stored.renditions or []):
        return None
    return stored


def public_document_file(document_id: int) -> StoredFile | None:
    document = documents.public_document(document_id)
    return document.file if document is not None else None
