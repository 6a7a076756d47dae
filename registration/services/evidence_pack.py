"""The evidence pack: one ZIP with everything a funder asks for at the end of a project.

The pack is a list of `Part`s, each a file inside the ZIP with a line for its README.txt:
the report (Excel and PDF), each activity's sign-in sheet as a PDF, the list of publicity
posts, the result documents and the posts' photos. Another kind of evidence joins by adding
its parts in `parts()`.

Names inside the ZIP are Latvian without diacritics and without characters Windows refuses
(`Domnica_Mazzalve_2021-09-15.pdf`): an archive opened on any computer shows them right.
The ZIP is written part by part to a stream (`stream()` yields bytes as each part is done,
`write()` puts them in a file), so a big pack is never held in memory whole; a part's
content is made only when it is written.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import sqlalchemy as sa
from flask_babel import gettext as _

from .. import pdf
from ..extensions import db
from ..i18n import numeric_date
from ..models import Document, Post, PostStatus, Project
from ..timeutil import now_utc, to_riga
from ..urls import external_url
from . import letterheads, report, report_files, sign_in_pdf, uploads
from .report import Period

#: Kinds of file that are compressed already: stored as they are.
_COMPRESSED = (".xlsx", ".docx", ".pptx", ".odt", ".ods", ".odp", ".jpg", ".jpeg", ".png")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class Part:
    """One file of the pack: its name inside the ZIP and what the README says about it."""

    name: str
    description: str
    #: Makes the content when the part is written.
    make: Callable[[], bytes] | None = None
    #: Or a file on disk copied as it is (an upload).
    path: Path | None = None


@dataclass
class Pack:
    project: Project
    period: Period
    parts: list[Part] = field(default_factory=list)

    def add(self, part: Part) -> None:
        """Add `part`, its name made different from those already there."""
        taken = {p.name for p in self.parts}
        name, n = part.name, 2
        while name in taken:
            stem, dot, extension = part.name.rpartition(".")
            name = f"{stem}_{n}.{extension}" if dot else f"{part.name}_{n}"
            n += 1
        part.name = name
        self.parts.append(part)


def safe_name(text: str, limit: int = 80) -> str:
    """'Domnīca Mazzalvē' -> 'Domnica_Mazzalve': ASCII letters, digits, '.', '-' and '_'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    cleaned = _UNSAFE.sub("_", ascii_text).strip("._-")
    return cleaned[:limit].rstrip("._-") or "fails"


def _folder(text: str) -> str:
    return safe_name(text, 40)


# -- what goes in ----------------------------------------------------------------------------


def build(project: Project, period: Period | None = None) -> Pack:
    """The pack of `project` for `period`, its parts listed (none made yet)."""
    period = period or Period()
    pack = Pack(project, period)
    found = report.build(project, period)
    _add_report(pack, found)
    _add_sign_in_sheets(pack, found)
    posts = _posts(project, period)
    _add_posts(pack, posts)
    _add_documents(pack, project)
    _add_photos(pack, posts)
    return pack


def _add_report(pack: Pack, found: report.Report) -> None:
    folder = _folder(_("Report"))
    name = safe_name(_("Activity report"))
    pack.add(
        Part(
            f"{folder}/{name}.xlsx",
            _("The activity report as an Excel workbook."),
            make=lambda: report_files.to_xlsx(found),
        )
    )
    pack.add(
        Part(
            f"{folder}/{name}.pdf",
            _("The activity report as a PDF."),
            make=lambda: report_files.to_pdf(found),
        )
    )


def _add_sign_in_sheets(pack: Pack, found: report.Report) -> None:
    folder = _folder(_("Sign-in sheets"))
    for activity in found.activities:
        event = activity.event
        day = to_riga(event.starts_at).date().isoformat()
        description = _(
            "Sign-in sheet: %(title)s, %(date)s.",
            title=event.title,
            date=numeric_date(event.starts_at),
        )
        pack.add(
            Part(
                f"{folder}/{safe_name(event.title, 60)}_{day}.pdf",
                description,
                make=lambda event=event: sign_in_pdf.sign_in_sheet(event),
            )
        )


def _posts(project: Project, period: Period) -> list[Post]:
    query = (
        sa.select(Post)
        .where(
            Post.project_id == project.id,
            Post.status == PostStatus.PUBLISHED,
            Post.published_at <= now_utc(),
        )
        .order_by(Post.published_at, Post.id)
    )
    return [p for p in db.session.scalars(query) if period.contains(p.published_at)]


def _add_posts(pack: Pack, posts: list[Post]) -> None:
    folder, title = _folder(_("Publicity")), safe_name(_("Publicity posts"))
    name = f"{folder}/{title}.pdf"
    rows = [
        [numeric_date(p.published_at), p.title, external_url("public.post_detail", slug=p.slug)]
        for p in posts
    ]

    def make() -> bytes:
        blocks: list[pdf.Block] = [
            pdf.Table(
                header=[_("Date"), _("Post"), _("Public link")],
                rows=rows,
                widths=[14, 40, 46],
                font_size=8.5,
            )
            if rows
            else pdf.Paragraph(_("No posts were published in this period."))
        ]
        return pdf.report(
            title=_("Publicity posts"),
            blocks=blocks,
            letterhead=letterheads.for_project(pack.project),
            page_label=_("Page {page} of {pages}"),
            created=now_utc(),
        )

    pack.add(Part(name, _("The publicity posts with their dates and public links."), make=make))


def _add_documents(pack: Pack, project: Project) -> None:
    folder = _folder(_("Results"))
    query = (
        sa.select(Document)
        .where(Document.project_id == project.id, Document.is_published)
        .order_by(Document.position, Document.id)
    )
    for document in db.session.scalars(query):
        path = uploads.path_of(document.file.name)
        if path is None or not path.is_file():
            continue
        name = f"{folder}/{safe_name(document.title, 60)}.{document.file.kind.extension}"
        pack.add(Part(name, _("Result: %(title)s.", title=document.title), path=path))


def _add_photos(pack: Pack, posts: list[Post]) -> None:
    folder = _folder(_("Photos"))
    for post in posts:
        if post.photo is None:
            continue
        path = uploads.path_of(post.photo.name)
        if path is None or not path.is_file():
            continue
        day = to_riga(post.published_at).date().isoformat()
        name = f"{folder}/{day}_{safe_name(post.title, 60)}.{post.photo.kind.extension}"
        description = _("Photo of the post \u201c%(title)s\u201d.", title=post.title)
        pack.add(Part(name, description, path=path))


# -- writing ---------------------------------------------------------------------------------


def readme(pack: Pack) -> str:
    """README.txt: what the pack is and what each file holds (Windows line ends)."""
    project = pack.project
    lines = [
        project.title + (f" ({project.code})" if project.code else ""),
        _(
            "Evidence pack, period: %(period)s. Made on %(date)s",
            period=report_files.period_text(pack.period),
            date=numeric_date(now_utc()),
        ),
        "",
        _("The report holds counts only; names are on the sign-in sheets alone."),
        "",
    ]
    lines += [f"{part.name}\r\n    {part.description}" for part in pack.parts]
    return "\r\n".join(lines) + "\r\n"


class _Chunks:
    """A write-only stream that keeps what is written until it is taken."""

    def __init__(self) -> None:
        self.pieces: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.pieces.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self.pieces)
        self.pieces.clear()
        return data


def _compression(name: str) -> int:
    return zipfile.ZIP_STORED if name.lower().endswith(_COMPRESSED) else zipfile.ZIP_DEFLATED


def stream(pack: Pack) -> Iterator[bytes]:
    """The ZIP, part by part: README.txt first, then each part as it is made."""
    sink = _Chunks()
    with zipfile.ZipFile(sink, "w") as archive:  # type: ignore[arg-type]
        archive.writestr("README.txt", "\ufeff" + readme(pack), zipfile.ZIP_DEFLATED)
        yield sink.take()
        for part in pack.parts:
            _write(archive, part)
            yield sink.take()
    yield sink.take()


def write(pack: Pack, target: BinaryIO) -> None:
    """The whole ZIP into `target` (a temporary file), one part in memory at a time."""
    for chunk in stream(pack):
        target.write(chunk)


def _write(archive: zipfile.ZipFile, part: Part) -> None:
    if part.path is not None:
        with (
            part.path.open("rb") as source,
            archive.open(
                zipfile.ZipInfo(part.name, date_time=_zip_time()), "w", force_zip64=True
            ) as target,
        ):
            while chunk := source.read(1 << 16):
                target.write(chunk)
        return
    assert part.make is not None
    info = zipfile.ZipInfo(part.name, date_time=_zip_time())
    info.compress_type = _compression(part.name)
    archive.writestr(info, part.make())


def _zip_time() -> tuple[int, int, int, int, int, int]:
    moment = to_riga(now_utc())
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)


def filename(pack: Pack) -> str:
    code = safe_name(pack.project.code or pack.project.title, 50)
    evidence = safe_name(_("Evidence"))
    return f"{evidence}_{code}_{to_riga(now_utc()).date().isoformat()}.zip"
