"""Extract translatable text per area and merge it into that area's catalogues.

Each area of the app owns a catalogue (`<package>/translations`), so features can add text
without touching one shared file. Usage: `make i18n-extract`, then translate new entries.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Line width of the catalogues, the same for every tool that writes them (smaller diffs).
WIDTH = 100
LANGUAGES = ("lv",)  # English is the source language

#: catalogue folder -> sources whose strings it holds
AREAS: dict[str, list[str]] = {
    "registration/translations": [
        "registration/*.py",
        "registration/models",
        "registration/services",
        "registration/public",
        "registration/ratelimits",
        "templates/base.html",
        "templates/error.html",
        "templates/macros",
        "templates/public",
    ],
    "registration/admin/translations": [
        "registration/admin",
        "registration/admin_labels.py",
        "registration/services/audit.py",
        "registration/services/blocklist.py",
        "registration/services/event_admin.py",
        "registration/services/event_details.py",
        "registration/services/exports.py",
        "registration/services/junk.py",
        "registration/services/latvian.py",
        "registration/services/organisers.py",
        "registration/services/questions.py",
        "registration/services/participants.py",
        "registration/services/statistics.py",
        "registration/services/report.py",
        "registration/services/report_files.py",
        "registration/services/project_exports.py",
        "registration/services/letterheads.py",
        "registration/services/sign_in_pdf.py",
        "registration/services/evidence_pack.py",
        "registration/services/projects.py",
        "registration/services/posts.py",
        "registration/services/post_drafts.py",
        "registration/services/documents.py",
        "registration/services/organisation.py",
        "registration/services/publishing.py",
        "registration/services/uploads.py",
        "registration/services/file_types.py",
        "registration/services/images.py",
        "registration/privacy",
        "templates/admin",
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

SOURCE_SUFFIXES = (".py", ".html", ".txt")


def area_sources() -> dict[str, list[Path]]:
    """Each catalogue's source files. A file that several areas' patterns match belongs to
    the area with the most specific (longest) matching pattern, so an area can own single
    files inside a folder that another area claims as a whole."""
    owner: dict[Path, tuple[int, str]] = {}
    for catalogue, patterns in AREAS.items():
        for pattern in patterns:
            for path in ROOT.glob(pattern):
                files = (
                    [f for f in path.rglob("*") if f.suffix in SOURCE_SUFFIXES]
                    if path.is_dir()
                    else [path]
                    if path.is_file()
                    else []
                )
                for file in files:
                    if file not in owner or owner[file][0] < len(pattern):
                        owner[file] = (len(pattern), catalogue)
    sources: dict[str, list[Path]] = {catalogue: [] for catalogue in AREAS}
    for file, (_, catalogue) in owner.items():
        sources[catalogue].append(file)
    return {catalogue: sorted(files) for catalogue, files in sources.items()}


def run(*args: str) -> None:
    subprocess.run([str(Path(sys.executable).parent / "pybabel"), *args], check=True, cwd=ROOT)


def main() -> None:
    for catalogue, files in area_sources().items():
        sources = [str(path.relative_to(ROOT)) for path in files]
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
                    "--ignore-obsolete",
                    "--width",
                    str(WIDTH),
                )
            else:
                run("init", "-i", pot, "-d", catalogue, "-l", lang, "--width", str(WIDTH))
        (ROOT / pot).unlink()


if __name__ == "__main__":
    main()
