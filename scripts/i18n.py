"""Extract translatable text per area and merge it into that area's catalogues.

Each area of the app owns a catalogue (`<package>/translations`), so features can add text
without touching one shared file. Usage: `make i18n-extract`, then translate new entries.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("lv",)  # English is the source language

#: catalogue folder -> sources whose strings it holds
AREAS: dict[str, list[str]] = {
    "registration/translations": [
        "registration/*.py",
        "registration/models",
        "registration/services",
        "registration/public",
        "templates/base.html",
        "templates/error.html",
        "templates/macros",
        "templates/public",
    ],
    "registration/mail/translations": [
        "registration/mail",
        "templates/email",
    ],
    "registration/calendar/translations": [
        "registration/calendar",
        "templates/calendar",
    ],
}


def run(*args: str) -> None:
    subprocess.run([str(Path(sys.executable).parent / "pybabel"), *args], check=True, cwd=ROOT)


def main() -> None:
    for catalogue, patterns in AREAS.items():
        sources = sorted({str(p.relative_to(ROOT)) for pat in patterns for p in ROOT.glob(pat)})
        pot = f"{catalogue}/messages.pot"
        run(
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "--no-location",
            "--sort-output",
            "-o",
            pot,
            *sources,
        )
        for lang in LANGUAGES:
            po = ROOT / catalogue / lang / "LC_MESSAGES" / "messages.po"
            if po.exists():
                run(
                    "update",
                    "-i",
                    pot,
                    "-d",
                    catalogue,
                    "-l",
                    lang,
                    "--no-fuzzy-matching",
                    "--ignore-pot-creation-date",
                )
            else:
                run("init", "-i", pot, "-d", catalogue, "-l", lang)
        (ROOT / pot).unlink()


if __name__ == "__main__":
    main()
