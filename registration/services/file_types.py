"""What a file is, told from its bytes: the kinds the site accepts, and nothing else.

The name a file arrives with says nothing (a renamed program is still a program), so each
kind is recognised by its signature and, for the ZIP-based office formats, by the parts
inside that make it that format. A file that starts right but is cut short (an upload that
broke off, a damaged copy) is refused here too, before anything is stored.
"""

from __future__ import annotations

import io
import zipfile

from flask_babel import gettext as _

from ..models import FileKind
from . import DomainError


class RefusedFile(DomainError):
    """The file cannot be accepted; `message` says why, in words the uploader can act on."""


#: OpenDocument files name their format in a first, uncompressed entry called "mimetype".
_ODF_TYPES = {
    b"application/vnd.oasis.opendocument.text": FileKind.ODT,
    b"application/vnd.oasis.opendocument.spreadsheet": FileKind.ODS,
    b"application/vnd.oasis.opendocument.presentation": FileKind.ODP,
}
#: Office Open XML files hold their main part under a folder of their own.
_OOXML_PARTS = {
    "word/document.xml": FileKind.DOCX,
    "xl/workbook.xml": FileKind.XLSX,
    "ppt/presentation.xml": FileKind.PPTX,
}
#: More entries than any real document holds: a crafted archive, not a document.
MAX_ZIP_ENTRIES = 10_000


def detect(data: bytes) -> FileKind:
    """The kind of `data`, or RefusedFile if it is none the site accepts or is damaged."""
    if not data:
        raise RefusedFile(_("The file is empty."))
    if data.startswith(b"%PDF-"):
        _check_pdf(data)
        return FileKind.PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return FileKind.PNG
    if data.startswith(b"\xff\xd8\xff"):
        return FileKind.JPEG
    if data.startswith(b"PK\x03\x04"):
        return _office_kind(data)
    raise RefusedFile(
        _(
            "This kind of file is not accepted. Upload a PDF, a Word, Excel or PowerPoint "
            "file (DOCX, XLSX, PPTX), an OpenDocument file (ODT, ODS, ODP) or a JPEG or PNG "
            "picture."
        )
    )


def _damaged(kind: str) -> RefusedFile:
    return RefusedFile(
        _(
            "The %(kind)s file is incomplete or damaged. Open it on your computer, save it "
            "again and upload the new copy.",
            kind=kind,
        )
    )


def _check_pdf(data: bytes) -> None:
    """A complete PDF ends with its cross-reference pointer and %%EOF."""
    tail = data[-2048:]
    if b"%%EOF" not in tail or b"startxref" not in tail:
        raise _damaged("PDF")


def _office_kind(data: bytes) -> FileKind:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
    except (zipfile.BadZipFile, ValueError, EOFError):
        raise _damaged("ZIP") from None
    if len(names) > MAX_ZIP_ENTRIES:
        raise RefusedFile(_("The file holds too many parts to be a document."))
    if names and names[0] == "mimetype":
        try:
            declared = archive.read("mimetype")[:100].strip()
        except (zipfile.BadZipFile, ValueError, EOFError, NotImplementedError):
            raise _damaged("OpenDocument") from None
        if declared in _ODF_TYPES:
            return _ODF_TYPES[declared]
    if "[Content_Types].xml" in names:
        if any(name.lower().endswith("vbaproject.bin") for name in names):
            raise RefusedFile(
                _("The file contains macros. Save it as an ordinary document without macros.")
            )
        for part, kind in _OOXML_PARTS.items():
            if part in names:
                return kind
    raise RefusedFile(
        _("This archive is not a document the site accepts. Upload the document itself.")
    )
