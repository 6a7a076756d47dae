"""Uploaded files: checked, stored under generated names, and removed with their rows.

Files are hostile until proven otherwise. An upload is read up to the configured limit
(`UPLOAD_MAX_BYTES`) and no further; its kind is told from its content (`file_types`);
pictures are re-encoded without their metadata (`images`). The name it came with is kept
only to show and to offer when downloading; on disk it is `instance/uploads/<random>.<ext>`.

A file and its row exist together or not at all: `store()` writes the file, adds the row to
the current unit of work and removes the file again if that unit rolls back; `discard()`
deletes the row and removes the file only once the deletion has committed.
"""

from __future__ import annotations

import enum
import hashlib
import os
import re
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from flask_babel import gettext as _

from ..extensions import db
from ..i18n import file_size
from ..models import FileKind, StoredFile
from . import after_commit, on_rollback
from . import images as pictures
from .file_types import RefusedFile, detect

#: Upload limit unless the configuration sets UPLOAD_MAX_BYTES.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
#: Longest file name kept (longer ones are refused: they are no one's real file name).
MAX_NAME_LENGTH = 200
#: Stored names are ours alone: 32 hex digits, an optional width, an extension.
STORED_NAME = re.compile(r"[0-9a-f]{32}(-[0-9]{2,4})?\.(pdf|docx|odt|xlsx|ods|pptx|odp|jpg|png)")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class Purpose(enum.Enum):
    """What a file is for decides which kinds are accepted and how pictures are prepared."""

    DOCUMENT = "document"
    PHOTO = "photo"
    LOGO = "logo"


_PICTURES_ONLY = (FileKind.JPEG, FileKind.PNG)


@dataclass
class Upload:
    """A file as it arrived: the name from the uploader's computer, and its content."""

    filename: str
    stream: BinaryIO


def max_bytes() -> int:
    return int(current_app.config.get("UPLOAD_MAX_BYTES") or DEFAULT_MAX_BYTES)


def folder() -> Path:
    configured = current_app.config.get("UPLOAD_FOLDER")
    return Path(configured) if configured else Path(current_app.instance_path) / "uploads"


def path_of(name: str) -> Path | None:
    """Where a stored file is on disk; None for any name this module would not have made."""
    if not STORED_NAME.fullmatch(name):
        return None
    return folder() / name


def display_name(filename: str | None) -> str:
    """The uploader's file name fit to keep, or RefusedFile saying what is wrong with it."""
    name = unicodedata.normalize("NFC", (filename or "").strip())
    if not name:
        raise RefusedFile(_("Choose a file to upload."))
    if _CONTROL.search(name):
        raise RefusedFile(_("The file name contains characters that are not allowed."))
    if "/" in name or "\\" in name or name in (".", "..") or ".." in name.split("."):
        raise RefusedFile(
            _("The file name must be a name only, without a folder or “..”. Rename the file.")
        )
    if len(name) > MAX_NAME_LENGTH:
        raise RefusedFile(
            _(
                "The file name is too long (%(length)d characters). Rename the file to at most "
                "%(max)d characters.",
                length=len(name),
                max=MAX_NAME_LENGTH,
            )
        )
    return name


def read_limited(stream: BinaryIO) -> bytes:
    """The whole content, or RefusedFile as soon as it passes the limit (never read further)."""
    limit = max_bytes()
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise RefusedFile(
            _(
                "The file is larger than %(limit)s. Make it smaller (for example, save the PDF "
                "for the web or scale the pictures down) and upload it again.",
                limit=file_size(limit),
            )
        )
    return data


def store(upload: Upload, purpose: Purpose) -> StoredFile:
    """Check `upload`, write it (re-encoded if it is a picture) and add its row.

    Call inside a unit of work: the file goes away again if the unit rolls back.
    """
    original = display_name(upload.filename)
    data = read_limited(upload.stream)
    kind = detect(data)
    if purpose is not Purpose.DOCUMENT and kind not in _PICTURES_ONLY:
        raise RefusedFile(_("Upload a picture: a JPEG or PNG file."))
    stem = secrets.token_hex(16)
    width = height = None
    files: dict[str, bytes] = {}
    renditions: list[int] = []
    if kind.is_image:
        picture = _prepare_picture(data, kind, purpose)
        data, width, height = picture.data, picture.width, picture.height
        for rendition_width, rendition in sorted(picture.renditions.items()):
            files[f"{stem}-{rendition_width}.{kind.extension}"] = rendition
            renditions.append(rendition_width)
    name = f"{stem}.{kind.extension}"
    files[name] = data
    stored = StoredFile(
        name=name,
        kind=kind,
        original_name=_with_extension(original, kind),
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        width=width,
        height=height,
        renditions=renditions,
    )
    _write_all(files)
    db.session.add(stored)
    return stored


def discard(stored: StoredFile | None) -> None:
    """Delete the row now and its files once the deletion has committed."""
    if stored is None:
        return
    names = stored.all_names
    db.session.delete(stored)
    after_commit(lambda: _remove(names))


def _prepare_picture(data: bytes, kind: FileKind, purpose: Purpose) -> pictures.Picture:
    if purpose is Purpose.LOGO:
        max_width, widths = pictures.LOGO_MAX_WIDTH, pictures.LOGO_RENDITIONS
    else:
        max_width, widths = pictures.PHOTO_MAX_WIDTH, pictures.PHOTO_RENDITIONS
    max_pixels = int(current_app.config.get("IMAGE_MAX_PIXELS") or pictures.DEFAULT_MAX_PIXELS)
    return pictures.prepare(
        data, kind, max_width=max_width, rendition_widths=widths, max_pixels=max_pixels
    )


def _with_extension(name: str, kind: FileKind) -> str:
    """The uploader's name, with the extension its content calls for (a PDF named .doc
    downloads as .pdf, so the reader's computer opens it with the right program)."""
    stem, dot, extension = name.rpartition(".")
    accepted = {kind.extension, "jpeg"} if kind is FileKind.JPEG else {kind.extension}
    if dot and extension.lower() in accepted:
        return name
    base = stem if dot and stem else name
    return f"{base[: MAX_NAME_LENGTH - 5]}.{kind.extension}"


def _write_all(files: dict[str, bytes]) -> None:
    """Write every file, or none: a failure part-way removes those already written."""
    target = folder()
    target.mkdir(parents=True, exist_ok=True)
    written: list[str] = []
    on_rollback(lambda: _remove(written))
    try:
        for name, data in files.items():
            _write(target / name, data)
            written.append(name)
    except OSError as exc:
        _remove(written)
        written.clear()
        raise RefusedFile(
            _("The file could not be saved on the server. Please try again later.")
        ) from exc


def _write(path: Path, data: bytes) -> None:
    """Written under a temporary name and renamed, so no reader ever sees half a file."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        with open(temporary, "xb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _remove(names: list[str]) -> None:
    for name in names:
        path = path_of(name)
        if path is not None:
            path.unlink(missing_ok=True)
