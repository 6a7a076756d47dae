"""Real files of every kind the site accepts, and hostile ones, made in memory."""

from __future__ import annotations

import io
import zipfile

from openpyxl import Workbook
from PIL import Image

from registration import pdf

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/{part}" ContentType="{type}"/></Types>'
)


def a_pdf(text: str = "Pārskats") -> bytes:
    return pdf.document(title=text, sections=[pdf.Section("Ievads", ["Teksts."])])


def _ooxml(part: str, content_type: str, extra: dict[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES.format(part=part, type=content_type))
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr(part, "<document/>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


def a_docx(**kwargs) -> bytes:
    return _ooxml(
        "word/document.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        **kwargs,
    )


def a_pptx() -> bytes:
    return _ooxml(
        "ppt/presentation.xml",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
    )


def an_xlsx() -> bytes:
    book = Workbook()
    book.active["A1"] = "Dalībnieki"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _odf(kind: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        # The mimetype entry comes first and is stored uncompressed (ODF 1.2, 3.3).
        archive.writestr("mimetype", f"application/vnd.oasis.opendocument.{kind}")
        archive.writestr("content.xml", "<office:document-content/>", zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", "<manifest:manifest/>", zipfile.ZIP_DEFLATED)
    return out.getvalue()


def an_odt() -> bytes:
    return _odf("text")


def an_ods() -> bytes:
    return _odf("spreadsheet")


def an_odp() -> bytes:
    return _odf("presentation")


def a_picture(fmt: str = "JPEG", size=(1200, 800), exif: Image.Exif | None = None) -> bytes:
    image = Image.new("RGB", size)
    pixels = image.load()
    for x in range(0, size[0], 4):
        for y in range(0, size[1], 4):
            pixels[x, y] = (x % 256, y % 256, (x * y) % 256)
    out = io.BytesIO()
    options = {"exif": exif} if exif is not None else {}
    image.save(out, fmt, **options)
    return out.getvalue()


def exif_with_gps() -> Image.Exif:
    """EXIF as a phone writes it: camera, owner, orientation and the GPS position."""
    exif = Image.Exif()
    exif[0x010F] = "Telefons"  # Make
    exif[0x013B] = "Ilze Kalniņa"  # Artist
    exif[0x0112] = 6  # Orientation: turned 90°
    exif[0x8825] = {1: "N", 2: (56.0, 36.0, 0.0), 3: "E", 4: (25.0, 15.0, 0.0)}  # GPSInfo
    return exif


def a_bomb() -> bytes:
    """A small PNG that decodes into 200 million pixels."""
    image = Image.new("1", (20000, 10000))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


AN_EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
AN_SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
AN_HTML = b"<!doctype html><script>alert(1)</script>"
