"""Page weight of the public project page and a news post, as a phone loads them.

Builds the demo in a temporary instance and prints the bytes of HTML and CSS (what the
pages need besides photos; the aim is at most 30 KB) and of each photo copy a phone at
412 CSS pixels may be served (the aim is at most 150 KB each).

    .venv/bin/python benchmarks/page_weight.py
"""

from __future__ import annotations

import gzip
import io
import re
import sys
import tempfile
from pathlib import Path

from flask_migrate import upgrade
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from registration import create_app
from registration.demo import pictures, seed_demo
from registration.extensions import db
from registration.models import FileKind
from registration.services import images

PAGES = ("/projekti/iedzivotaju-lidzdaliba-2021", "/jaunumi/mazzalve-kas-biedribam-trauce", "/")


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "SECRET_KEY": "x" * 40,
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/weight.sqlite3",
                "PUBLIC_BASE_URL": "http://127.0.0.1:5000",
                "MAIL_BACKGROUND_SENDER": False,
            },
            instance_path=folder,
        )
        with app.app_context():
            upgrade()
            seed_demo()
            client = app.test_client()
            css = len(client.get("/static/style.css").data)
            print(f"{'page':45} {'HTML':>7} {'+CSS':>7} {'gzipped':>8}")
            for page in PAGES:
                html = client.get(page).data
                both = len(html) + css
                packed = len(gzip.compress(html)) + len(
                    gzip.compress(client.get("/static/style.css").data)
                )
                print(f"{page:45} {len(html):7,} {both:7,} {packed:8,}")
                for url in sorted(set(re.findall(rb"/faili/[^ ,\"]+", html))):
                    size = len(client.get(url.decode()).data)
                    print(f"  {url.decode():60} {size:9,} bytes")
            db.engine.dispose()
    camera_photo()


def camera_photo() -> None:
    """The demo's pictures are drawn and compress well; a phone photo has fine detail and
    sensor noise. This one is made like that, 4000 pixels wide, and prepared as an upload."""
    scene = Image.open(io.BytesIO(pictures.scene("fields", 1200, 795)))
    # Detail at the size pages show it (grass, leaves), so scaling down does not smooth it.
    texture = Image.merge("RGB", [Image.effect_noise((1200, 795), 60) for _ in range(3)])
    photo = Image.blend(scene, texture, 0.18).resize((4000, 2650), Image.Resampling.BICUBIC)
    out = io.BytesIO()
    photo.save(out, "JPEG", quality=92)
    prepared = images.prepare(
        out.getvalue(),
        FileKind.JPEG,
        max_width=images.PHOTO_MAX_WIDTH,
        rendition_widths=images.PHOTO_RENDITIONS,
    )
    print(f"camera-sized photo, {len(out.getvalue()):,} bytes uploaded:")
    print(
        f"  stored {prepared.width} px wide (not served to phones): {len(prepared.data):9,} bytes"
    )
    for width, data in sorted(prepared.renditions.items()):
        print(f"  copy {width:4} px wide: {len(data):9,} bytes")


if __name__ == "__main__":
    main()
