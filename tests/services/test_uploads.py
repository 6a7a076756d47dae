"""Uploads are checked by content, stored under generated names, and never half-saved."""

from __future__ import annotations

import io
import zipfile

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from PIL import Image

from registration.extensions import db
from registration.models import FileKind, StoredFile
from registration.services import audit, posts, unit_of_work, uploads
from registration.services.file_types import RefusedFile, detect
from registration.services.posts import PostDetails

from .. import sample_files as files


@pytest.fixture
def app_config():
    return {"UPLOAD_MAX_BYTES": 3 * 1024 * 1024}


@pytest.fixture(autouse=True)
def in_english(app):
    """The reasons in English, to compare (their Latvian is checked with the catalogues)."""
    with force_locale("en"):
        yield


REAL_FILES = {
    FileKind.PDF: files.a_pdf,
    FileKind.DOCX: files.a_docx,
    FileKind.XLSX: files.an_xlsx,
    FileKind.PPTX: files.a_pptx,
    FileKind.ODT: files.an_odt,
    FileKind.ODS: files.an_ods,
    FileKind.ODP: files.an_odp,
    FileKind.JPEG: files.a_picture,
    FileKind.PNG: lambda: files.a_picture("PNG"),
}


@pytest.mark.parametrize("kind", list(REAL_FILES), ids=lambda k: k.value)
def test_each_accepted_kind_is_recognised_by_its_content(kind):
    assert detect(REAL_FILES[kind]()) is kind


def _store(data: bytes, name: str = "fails.pdf", purpose=uploads.Purpose.DOCUMENT) -> StoredFile:
    with unit_of_work():
        return uploads.store(uploads.Upload(name, io.BytesIO(data)), purpose)


def _refusal(data: bytes, name: str = "fails.pdf", purpose=uploads.Purpose.DOCUMENT) -> str:
    with pytest.raises(RefusedFile) as refused:
        _store(data, name, purpose)
    return refused.value.message


def _nothing_stored(app) -> bool:
    folder = uploads.folder()
    leftovers = list(folder.iterdir()) if folder.exists() else []
    count = db.session.scalar(sa.select(sa.func.count()).select_from(StoredFile))
    return not leftovers and count == 0


def _truncated_zip() -> bytes:
    return files.a_docx()[:-40]


def _docm() -> bytes:
    return files.a_docx(extra={"word/vbaProject.bin": b"\x00" * 10})


def _plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("programma.exe", files.AN_EXE)
    return out.getvalue()


HOSTILE = {
    "renamed program": (files.AN_EXE, "parskats.pdf", "This kind of file is not accepted"),
    "svg with a script": (files.AN_SVG, "logo.png", "This kind of file is not accepted"),
    "html page": (files.AN_HTML, "lapa.docx", "This kind of file is not accepted"),
    "empty file": (b"", "tukss.pdf", "The file is empty."),
    "truncated pdf": (files.a_pdf()[:-300], "parskats.pdf", "incomplete or damaged"),
    "truncated docx": (_truncated_zip(), "a.docx", "incomplete or damaged"),
    "document with macros": (_docm(), "a.docx", "macros"),
    "archive of a program": (_plain_zip(), "a.zip", "not a document"),
    "path with ..": (files.a_pdf(), "../../etc/passwd.pdf", "without a folder"),
    "windows path": (files.a_pdf(), "C:\\Users\\a.pdf", "without a folder"),
    "nul in the name": (files.a_pdf(), "a\x00.pdf", "not allowed"),
    "300-character name": (files.a_pdf(), "a" * 296 + ".pdf", "too long (300 characters)"),
}


@pytest.mark.parametrize("case", list(HOSTILE), ids=list(HOSTILE))
def test_hostile_files_are_refused_with_a_reason_and_nothing_is_kept(app, case):
    data, name, reason = HOSTILE[case]
    assert reason in _refusal(data, name)
    assert _nothing_stored(app)


def test_a_file_over_the_limit_is_refused_unread(app):
    big = files.a_pdf() + b"\n" * (3 * 1024 * 1024)
    assert "larger than 3\u00a0MB" in _refusal(big)
    assert _nothing_stored(app)


def test_pictures_only_where_a_picture_belongs(app):
    assert "JPEG or PNG" in _refusal(files.a_pdf(), "foto.pdf", uploads.Purpose.PHOTO)


def test_a_decompression_bomb_is_refused_before_it_is_decoded(app):
    bomb = files.a_bomb()
    assert len(bomb) < 1024 * 1024
    assert "too large" in _refusal(bomb, "bumba.png", uploads.Purpose.PHOTO)
    assert _nothing_stored(app)


def test_a_picture_over_the_configured_pixels_is_refused_with_its_size(app):
    app.config["IMAGE_MAX_PIXELS"] = 1_000_000
    refusal = _refusal(files.a_picture(size=(1500, 1000)), "a.jpg", uploads.Purpose.PHOTO)
    assert "1500 × 1000 pixels" in refusal


def test_a_truncated_picture_is_refused(app):
    picture = files.a_picture()
    assert "could not be read" in _refusal(
        picture[: len(picture) // 2], "a.jpg", uploads.Purpose.PHOTO
    )


def test_a_stored_file_has_a_generated_name_and_keeps_the_uploaders_for_display(app):
    stored = _store(files.a_pdf(), "Pārskats par NVO.pdf")
    assert stored.original_name == "Pārskats par NVO.pdf"
    assert uploads.STORED_NAME.fullmatch(stored.name)
    assert (uploads.folder() / stored.name).read_bytes()[:5] == b"%PDF-"
    # A PDF named as something else downloads as a PDF.
    assert _store(files.a_pdf(), "atskaite.doc").original_name == "atskaite.pdf"


def test_photos_lose_exif_and_gps_and_are_turned_upright(app):
    original = files.a_picture(size=(1200, 800), exif=files.exif_with_gps())
    assert Image.open(io.BytesIO(original)).getexif().get(0x8825)
    stored = _store(original, "IMG_0042.jpg", uploads.Purpose.PHOTO)
    for name in stored.all_names:
        with Image.open(uploads.folder() / name) as image:
            assert not image.getexif(), name
            assert "exif" not in image.info and "xmp" not in image.info
    with Image.open(uploads.folder() / stored.name) as image:
        # Orientation 6 applied to the pixels: the landscape photo stands upright.
        assert image.size == (800, 1200)
    assert stored.renditions == [480]
    assert (stored.width, stored.height) == (800, 1200)


def test_big_photos_get_smaller_copies_for_phones(app):
    stored = _store(files.a_picture(size=(2400, 1600)), "liels.jpg", uploads.Purpose.PHOTO)
    assert stored.width == 1600
    assert stored.renditions == [480, 800, 1200]
    with Image.open(uploads.folder() / stored.rendition_name(480)) as image:
        assert image.size == (480, 320)
    assert stored.height == 1067


def test_a_failed_unit_of_work_leaves_no_file_behind(app, monkeypatch):
    def refuse(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(audit, "record", refuse)
    photo = uploads.Upload("foto.jpg", io.BytesIO(files.a_picture()))
    with pytest.raises(RuntimeError):
        posts.create_post(PostDetails(title="Jaunums", photo_alt="Foto"), photo=photo, actor=None)
    assert _nothing_stored(app)


def test_a_discarded_file_goes_once_its_row_is_gone(app):
    stored = _store(files.a_picture(size=(1000, 600)), "a.jpg", uploads.Purpose.PHOTO)
    names = stored.all_names
    assert all((uploads.folder() / n).exists() for n in names)
    with unit_of_work():
        uploads.discard(db.session.get(StoredFile, stored.id))
    assert not any((uploads.folder() / n).exists() for n in names)
