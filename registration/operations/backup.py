"""Backups of a whole install in one file, and putting one back.

`flask backup create [PATH]` writes `registration-<UTC time>.tar.gz` (owner-only) holding:

- the database: SQLite copied with its online backup API (a consistent copy while the app
  keeps running), PostgreSQL as `pg_dump --format=custom` (one snapshot, likewise);
- `secret_key`: the key the private links are made with. Without it a restored database
  is complete, yet every manage link in every email already sent stops working;
- `uploads/`: the instance folder's uploaded files, if there are any;
- `manifest.json`: when, from which database kind and schema revision.

`flask backup restore PATH [--force]` puts it back into the configured database and
instance folder. It refuses to overwrite an install that holds data unless told with
--force. Stop the app first and start it again afterwards.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from alembic.migration import MigrationContext
from flask import current_app
from sqlalchemy.engine import URL

from ..extensions import db
from ..timeutil import now_utc

FORMAT = 1
PREFIX = "registration-"
SUFFIX = ".tar.gz"
SQLITE_MEMBER = "database.sqlite3"
POSTGRES_MEMBER = "database.pgdump"
UPLOADS = "uploads"


class BackupError(Exception):
    """A backup or restore cannot go on; the message says why and what to do."""


@dataclass
class Manifest:
    created_at: str
    database: str
    revisions: list[str]
    has_secret_key: bool
    has_uploads: bool
    format: int = FORMAT

    @classmethod
    def from_json(cls, data: bytes) -> Manifest:
        fields = json.loads(data)
        if fields.get("format") != FORMAT:
            raise BackupError(f"unknown backup format {fields.get('format')!r}")
        return cls(**fields)


# --- Where things are -------------------------------------------------------------------


def database_url() -> URL:
    return db.engine.url


def backend() -> str:
    return database_url().get_backend_name()


def sqlite_path() -> Path:
    name = database_url().database
    if not name or name == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(name)


def uploads_folder() -> Path:
    return Path(current_app.instance_path) / UPLOADS


def secret_key_file() -> Path:
    return Path(current_app.instance_path) / "secret_key"


def default_folder() -> Path:
    return Path(current_app.instance_path) / "backups"


def postgres_tool(name: str) -> str:
    """pg_dump or pg_restore: from BACKUP_POSTGRES_BIN if set, else from PATH."""
    folder = current_app.config.get("BACKUP_POSTGRES_BIN")
    path = shutil.which(name, path=folder) if folder else shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} was not found; install the PostgreSQL client "
            "(apt install postgresql-client) or set BACKUP_POSTGRES_BIN"
        )
    return path


def libpq_arguments() -> tuple[str, dict[str, str]]:
    """The connection for pg_dump/pg_restore: a libpq URI without the password, which goes
    through the environment (never on a command line that `ps` shows)."""
    url = database_url()
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    uri = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return uri, env


def run_tool(command: list[str], env: dict[str, str], failure: str) -> None:
    """Run pg_dump or pg_restore; a failure raises BackupError starting with `failure`."""
    # The command is built here from the configuration, never from a visitor's input.
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{failure}: {done.stderr.strip() or done.returncode}")


# --- Creating ---------------------------------------------------------------------------


def destination(path: str | None, moment: datetime) -> Path:
    """A PATH ending in .tar.gz is the file to write; any other is a folder to write into."""
    if path is not None and path.endswith(SUFFIX):
        return Path(path)
    folder = default_folder() if path is None else Path(path)
    return folder / f"{PREFIX}{moment:%Y%m%d-%H%M%S}Z{SUFFIX}"


def _copy_sqlite(target: Path) -> None:
    source = sqlite3.connect(sqlite_path())
    copy = sqlite3.connect(target)
    try:
        with copy:
            # One step: the copy is the database as of one moment, whatever others write.
            source.backup(copy)
        copy.execute("PRAGMA journal_mode = DELETE")
    finally:
        copy.close()
        source.close()


def _dump_postgres(target: Path) -> None:
    uri, env = libpq_arguments()
    command = [postgres_tool("pg_dump"), "--format=custom", f"--file={target}", uri]
    run_tool(command, env, "pg_dump failed")


def current_revisions() -> list[str]:
    with db.engine.connect() as conn:
        return sorted(MigrationContext.configure(conn).get_current_heads())


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    info.mtime = int(now_utc().timestamp())
    archive.addfile(info, io.BytesIO(data))


def create_backup(path: str | None = None) -> Path:
    """Write a backup of the configured install; returns the file written. Needs an app
    context; the app may keep serving meanwhile."""
    moment = now_utc()
    target = destination(path, moment)
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    kind = backend()
    uploads = uploads_folder()
    manifest = Manifest(
        created_at=moment.isoformat(),
        database=kind,
        revisions=current_revisions(),
        has_secret_key=True,
        has_uploads=uploads.is_dir(),
    )
    # Everything is put together next to the target (not in /tmp, which may be small) and
    # renamed into place at the end, so a backup file is never half-written.
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".backup-") as work:
        work_dir = Path(work)
        member = SQLITE_MEMBER if kind == "sqlite" else POSTGRES_MEMBER
        (_copy_sqlite if kind == "sqlite" else _dump_postgres)(work_dir / member)
        partial = work_dir / "backup.tar.gz"
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
            _add_bytes(archive, "manifest.json", json.dumps(manifest.__dict__).encode())
            archive.add(work_dir / member, arcname=member)
            key = str(current_app.config["SECRET_KEY"])
            _add_bytes(archive, "secret_key", (key + "\n").encode("ascii"))
            if manifest.has_uploads:
                archive.add(uploads, arcname=UPLOADS)
        os.replace(partial, target)
    return target


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups made by `create_backup` in `folder`."""
    backups = sorted(folder.glob(f"{PREFIX}*{SUFFIX}"))
    removed = backups[:-keep] if keep > 0 else []
    for old in removed:
        old.unlink()
    return removed
