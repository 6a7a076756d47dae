"""Putting a backup made by `backup.create_backup` back into the configured install.

The database kind must match (a SQLite backup goes into SQLite). An install that already
holds data (any row, or uploaded files) is overwritten only when the caller says so. The
secret key comes back too, so the private links in emails already sent keep working.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import sqlalchemy as sa
from flask import current_app

from ..extensions import db
from .backup import (
    POSTGRES_MEMBER,
    SQLITE_MEMBER,
    UPLOADS,
    BackupError,
    Manifest,
    backend,
    current_revisions,
    libpq_arguments,
    postgres_tool,
    run_tool,
    secret_key_file,
    sqlite_path,
    uploads_folder,
)


@dataclass
class Restored:
    manifest: Manifest
    counts: dict[str, int]
    revisions: list[str]
    #: Things the operator must do next, one sentence each.
    notes: list[str] = field(default_factory=list)


def _safe_name(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(f"the backup holds an unsafe path {name!r}; it was not restored")
    return path


def unpack(archive_path: Path, into: Path) -> Manifest:
    """Extract regular files and folders only, each checked to stay inside `into`."""
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            for member in archive:
                relative = _safe_name(member.name)
                target = into.joinpath(*relative.parts)
                if member.isdir():
                    target.mkdir(parents=True, exist_ok=True)
                elif member.isfile():
                    target.parent.mkdir(parents=True, exist_ok=True)
                    source = archive.extractfile(member)
                    with source, open(target, "wb") as out:
                        shutil.copyfileobj(source, out)
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(f"{archive_path} is not a readable backup ({exc})") from exc
    manifest_file = into / "manifest.json"
    if not manifest_file.is_file():
        raise BackupError(f"{archive_path} has no manifest.json; it is not one of our backups")
    return Manifest.from_json(manifest_file.read_bytes())


def what_is_there() -> list[str]:
    """What the install already holds: tables with rows, and uploaded files."""
    found = []
    with db.engine.connect() as conn:
        existing = set(sa.inspect(conn).get_table_names())
        for table in db.metadata.sorted_tables:
            if table.name in existing and conn.scalar(
                sa.select(sa.literal(1)).select_from(table).limit(1)
            ):
                found.append(table.name)
    uploads = uploads_folder()
    if uploads.is_dir() and any(path.is_file() for path in uploads.rglob("*")):
        found.append(f"files in {uploads}")
    return found


def _restore_sqlite(copy: Path) -> None:
    db.engine.dispose()
    source = sqlite3.connect(copy)
    live = sqlite3.connect(sqlite_path())
    try:
        with live:
            source.backup(live)
    finally:
        live.close()
        source.close()


def _restore_postgres(dump: Path) -> None:
    uri, env = libpq_arguments()
    pg_restore = postgres_tool("pg_restore")
    # Read the dump's table of contents first: a damaged file stops here, before anything
    # in the database is dropped.
    run_tool([pg_restore, "--list", str(dump)], env, "the database dump is damaged")
    with db.engine.begin() as conn:
        existing = sa.MetaData()
        existing.reflect(conn)
        existing.drop_all(conn)
    db.engine.dispose()
    command = [pg_restore, "--no-owner", "--no-privileges", "--single-transaction"]
    command += ["--exit-on-error", f"--dbname={uri}", str(dump)]
    run_tool(command, env, "pg_restore failed and left the database empty (restore again)")


def _restore_secret_key(unpacked: Path, notes: list[str]) -> None:
    key_file = unpacked / "secret_key"
    if not key_file.is_file():
        notes.append("The backup holds no secret key: private links made before it will not open.")
        return
    key = key_file.read_text(encoding="ascii").strip()
    configured = str(current_app.config["SECRET_KEY"])
    if key == configured:
        return
    ours = secret_key_file()
    key_comes_from_file = ours.is_file() and ours.read_text(encoding="ascii").strip() == configured
    if not key_comes_from_file:
        notes.append(
            "SECRET_KEY is set in the configuration and differs from the backup's key: set it "
            f"to the key now written to {ours}, or remove it from the configuration, or the "
            "private links in emails already sent will not open."
        )
    fd, tmp = tempfile.mkstemp(dir=ours.parent, prefix=".secret_key.")
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key + "\n")
    os.chmod(tmp, 0o600)
    os.replace(tmp, ours)


def _restore_uploads(unpacked: Path) -> None:
    uploads = uploads_folder()
    if uploads.exists():
        shutil.rmtree(uploads)
    shutil.move(unpacked / UPLOADS, uploads)


def _counts() -> dict[str, int]:
    with db.engine.connect() as conn:
        existing = set(sa.inspect(conn).get_table_names())
        return {
            name: conn.scalar(sa.select(sa.func.count()).select_from(sa.table(name)))
            for name in ("event", "registration", "organiser", "outbox_message")
            if name in existing
        }


def restore_backup(archive_path: str | Path, *, force: bool = False) -> Restored:
    """Put the backup back; needs an app context. Stop the app's processes first."""
    archive_path = Path(archive_path)
    instance = Path(current_app.instance_path)
    with tempfile.TemporaryDirectory(dir=instance, prefix=".restore-") as work:
        unpacked = Path(work)
        manifest = unpack(archive_path, unpacked)
        if manifest.database != backend():
            raise BackupError(
                f"this is a backup of a {manifest.database} database and the configured "
                f"database is {backend()}; configure a {manifest.database} database to restore it"
            )
        present = what_is_there()
        if present and not force:
            raise BackupError(
                "the install already holds data (" + ", ".join(present) + "); restoring "
                "replaces all of it. Make a backup of it first, then add --force"
            )
        if manifest.database == "sqlite":
            _restore_sqlite(unpacked / SQLITE_MEMBER)
        else:
            _restore_postgres(unpacked / POSTGRES_MEMBER)
        notes: list[str] = []
        _restore_secret_key(unpacked, notes)
        if manifest.has_uploads:
            _restore_uploads(unpacked)
    revisions = current_revisions()
    return Restored(manifest=manifest, counts=_counts(), revisions=revisions, notes=notes)
