"""Photos and logos as the site serves them: decoded, re-encoded and scaled by Pillow.

Nothing of the uploaded file is passed on but its pixels (and colour profile): EXIF, with
the camera's GPS position and the owner's name, and every other metadata block stays
behind. A picture that would decode into more pixels than `IMAGE_MAX_PIXELS` (a
"decompression bomb": a small file that fills the memory) is refused before it is decoded.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass, field

from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from ..models import FileKind
from .file_types import RefusedFile

#: More pixels than this are refused unread (8,000 × 5,000: beyond any phone camera).
DEFAULT_MAX_PIXELS = 40_000_000
#: A photo is stored at most this wide, with smaller copies for phones and tablets.
PHOTO_MAX_WIDTH = 1600
PHOTO_RENDITIONS = (480, 800, 1200)
#: Logos are small on every page.
LOGO_MAX_WIDTH = 600
LOGO_RENDITIONS = (240,)
#: The stored photo keeps enough quality for print (reports to the funder); the copies that
#: pages serve are lighter: a detailed 1200-pixel photo stays under 150 KB.
JPEG_QUALITY = 85
RENDITION_QUALITY = 70


@dataclass
class Picture:
    """A re-encoded picture and its smaller copies (width -> bytes)."""

    kind: FileKind
    width: int
    height: int
    data: bytes
    renditions: dict[int, bytes] = field(default_factory=dict)


def prepare(
    data: bytes,
    kind: FileKind,
    *,
    max_width: int,
    rendition_widths: tuple[int, ...],
    max_pixels: int = DEFAULT_MAX_PIXELS,
) -> Picture:
    """Decode `data` (a JPEG or PNG), turn it upright, and encode it anew without metadata."""
    image = _decode(data, max_pixels)
    image = ImageOps.exif_transpose(image)
    image = _web_mode(image, kind)
    main = _scaled(image, max_width)
    picture = Picture(kind, main.width, main.height, _encode(main, kind, image.info, JPEG_QUALITY))
    for width in rendition_widths:
        if width < main.width:
            copy = _scaled(image, width)
            picture.renditions[width] = _encode(copy, kind, image.info, RENDITION_QUALITY)
    return picture


def _decode(data: bytes, max_pixels: int) -> Image.Image:
    with warnings.catch_warnings():
        # Pillow's own bomb check only warns below twice its limit: here it refuses.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
            width, height = image.size
            if width * height > max_pixels:
                raise RefusedFile(
                    _(
                        "The picture is too large (%(width)d × %(height)d pixels). Make it "
                        "smaller, for example 3000 pixels wide, and upload it again.",
                        width=width,
                        height=height,
                    )
                )
            image.load()
        except RefusedFile:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise RefusedFile(
                _(
                    "The picture is too large to be shown on the site. Make it smaller, for "
                    "example 3000 pixels wide, and upload it again."
                )
            ) from None
        except (
            UnidentifiedImageError,
            OSError,
            SyntaxError,
            ValueError,
        ):
            raise RefusedFile(
                _(
                    "The picture could not be read: it is incomplete or damaged. Save it "
                    "again and upload the new copy."
                )
            ) from None
    return image


def _web_mode(image: Image.Image, kind: FileKind) -> Image.Image:
    if kind is FileKind.JPEG:
        return image if image.mode in ("RGB", "L") else image.convert("RGB")
    return image if image.mode in ("RGB", "RGBA", "L", "LA", "P") else image.convert("RGBA")


def _scaled(image: Image.Image, width: int) -> Image.Image:
    if image.width <= width:
        return image
    height = max(1, round(image.height * width / image.width))
    return image.resize((width, height), Image.Resampling.LANCZOS)


def _encode(image: Image.Image, kind: FileKind, info: dict, quality: int) -> bytes:
    """Only pixels and the colour profile are written: no EXIF, XMP, comments or text."""
    out = io.BytesIO()
    profile = info.get("icc_profile")
    options = {"icc_profile": profile} if profile else {}
    if kind is FileKind.JPEG:
        image.save(out, "JPEG", quality=quality, optimize=True, progressive=True, **options)
    else:
        image.save(out, "PNG", optimize=True, **options)
    return out.getvalue()
