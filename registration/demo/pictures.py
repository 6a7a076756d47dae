"""Pictures the demo draws for itself (no photo of a real person or place is shipped)."""

from __future__ import annotations

import io
import random
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFilter, ImageFont

from ..pdf import FONTS

SKY = {"fields": ((120, 170, 220), (230, 240, 250)), "hall": ((200, 170, 130), (245, 230, 210)),
       "table": ((150, 120, 90), (230, 215, 190))}  # fmt: skip


@lru_cache(maxsize=8)
def scene(kind: str, width: int = 1600, height: int = 1000) -> bytes:
    """A soft landscape or interior in JPEG: layers of colour with some grain, so it weighs
    about what a photo of that size does."""
    rng = random.Random(kind)  # noqa: S311 - a drawing, not a secret
    top, bottom = SKY.get(kind, SKY["fields"])
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / height
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)),
        )
    for layer in range(4):
        base = height * (0.45 + layer * 0.13)
        points = [(0, height)]
        for x in range(0, width + 100, 100):
            points.append((x, base + rng.randint(-40, 40)))
        points.append((width, height))
        shade = 60 + layer * 30
        draw.polygon(points, fill=(shade // 2, 90 + layer * 25, shade // 3))
    grain = Image.effect_noise((width, height), 18).convert("RGB")
    image = Image.blend(image, grain, 0.08).filter(ImageFilter.SMOOTH)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


@lru_cache(maxsize=2)
def badge(text: str, width: int = 480, height: int = 160) -> bytes:
    """A plain PNG badge with `text`: the demo's stand-in for a funder's logo."""
    image = Image.new("RGBA", (width, height), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle(
        [2, 2, width - 3, height - 3],
        radius=18,
        fill=(255, 255, 255, 255),
        outline=(20, 60, 120),
        width=5,
    )
    font = ImageFont.truetype(str(FONTS / "DejaVuSans-Bold.ttf"), 44)
    small = ImageFont.truetype(str(FONTS / "DejaVuSans.ttf"), 20)
    draw.text((width / 2, height / 2 - 18), text, font=font, fill=(20, 60, 120), anchor="mm")
    draw.text((width / 2, height / 2 + 34), "programma", font=small, fill=(60, 60, 60), anchor="mm")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
