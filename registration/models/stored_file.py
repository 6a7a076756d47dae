"""Files people uploaded, as the app stored them (under `instance/uploads/`)."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timeutil import now_utc
from ..types import UTCDateTime
from .base import enum_column


class FileKind(enum.Enum):
    """What a file is, decided from its content (never from its name)."""

    PDF = "pdf"
    DOCX = "docx"
    ODT = "odt"
    XLSX = "xlsx"
    ODS = "ods"
    PPTX = "pptx"
    ODP = "odp"
    JPEG = "jpeg"
    PNG = "png"

    @property
    def extension(self) -> str:
        return "jpg" if self is FileKind.JPEG else self.value

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self]

    @property
    def is_image(self) -> bool:
        return self in (FileKind.JPEG, FileKind.PNG)


CONTENT_TYPES = {
    FileKind.PDF: "application/pdf",
    FileKind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    FileKind.ODT: "application/vnd.oasis.opendocument.text",
    FileKind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    FileKind.ODS: "application/vnd.oasis.opendocument.spreadsheet",
    FileKind.PPTX: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    FileKind.ODP: "application/vnd.oasis.opendocument.presentation",
    FileKind.JPEG: "image/jpeg",
    FileKind.PNG: "image/png",
}


class StoredFile(db.Model):
    """One uploaded file: a row here and a file of the generated `name` on disk, always both.

    Photos are re-encoded on upload; smaller copies for phones are stored beside the file as
    `<stem>-<width>.<ext>` (see `renditions`).
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The file's name on disk: random, with the extension of its kind. Never the uploader's.
    name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    kind: Mapped[FileKind] = mapped_column(enum_column(FileKind))
    #: The name it had on the uploader's computer: shown, and offered when downloading.
    original_name: Mapped[str] = mapped_column(sa.String(255))
    #: Bytes of the stored file.
    size: Mapped[int]
    #: SHA-256 of the stored file, hex (lets a report or a check prove it is unchanged).
    sha256: Mapped[str] = mapped_column(sa.String(64))
    #: Pixels, for images.
    width: Mapped[int | None]
    height: Mapped[int | None]
    #: Widths of the smaller copies stored beside a photo, e.g. [480, 960].
    renditions: Mapped[list[int]] = mapped_column(sa.JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    def __repr__(self) -> str:
        return f"<StoredFile {self.name} {self.original_name!r}>"

    @property
    def stem(self) -> str:
        return self.name.rsplit(".", 1)[0]

    def rendition_name(self, width: int) -> str:
        """The file name of the copy `width` pixels wide (or the file itself)."""
        if width not in (self.renditions or []):
            return self.name
        return f"{self.stem}-{width}.{self.kind.extension}"

    @property
    def all_names(self) -> list[str]:
        """Every file on disk that belongs to this row."""
        return [self.name, *(self.rendition_name(w) for w in self.renditions or [])]
