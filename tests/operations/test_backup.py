"""`flask backup create | restore`: one file holds the database, the secret key and the
uploaded files; putting it back gives a working install whose private links still open."""

from __future__ import annotations

import io
import json
import stat
import tarfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from registration.extensions import db
from registration.models import Registration
from registration.operations import backup, restore
from registration.services import tokens
from registration.timeutil import frozen_time

from ..factories import make_registration
from .helpers import using


def create(runner, *args: str) -> Path:
    result = runner.invoke(args=["backup", "create", *args])
    assert result.exit_code == 0, result.output
    return Path(result.output.split("Backup written to ", 1)[1].split(" (", 1)[0])


@pytest.fixture
def signed_up(app, make_event):
    """An event with one registration whose private link we know, and an uploaded file."""
    event = make_event(title="Domnīca Kokneses pagastā")
    registration = make_registration(event, first_name="Līga", commit=False)
    token = tokens.assign_manage_token(registration)
    db.session.commit()
    uploads = Path(app.instance_path) / "uploads"
    uploads.mkdir()
    (uploads / "programma.pdf").write_bytes(b"%PDF-1.4 programma")
    return registration, token


def test_a_backup_is_one_private_file_with_the_database_key_and_uploads(app, runner, signed_up):
    archive = create(runner)
    assert archive.parent == Path(app.instance_path) / "backups"
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
        key = tar.extractfile("secret_key").read().decode().strip()
        manifest = json.loads(tar.extractfile("manifest.json").read())
    database = "database.sqlite3" if manifest["database"] == "sqlite" else "database.pgdump"
    assert {"manifest.json", database, "secret_key", "uploads/programma.pdf"} <= names
    assert key == app.config["SECRET_KEY"]
    assert manifest["revisions"] == backup.current_revisions()


def test_a_restored_install_has_the_data_and_its_private_links_open(
    app, runner, signed_up, other_install
):
    _registration, token = signed_up
    archive = create(runner)

    target = other_install()
    assert target.config["SECRET_KEY"] != app.config["SECRET_KEY"]
    with using(target):
        done = restore.restore_backup(archive)
    assert done.counts["registration"] == 1
    assert done.notes == []

    restarted = other_install()  # a new start reads the restored secret key
    assert restarted.config["SECRET_KEY"] == app.config["SECRET_KEY"]
    with using(restarted):
        page = restarted.test_client().get(f"/pieteikums/{token}")
    assert page.status_code == 200
    assert "Līga" in page.get_data(as_text=True)
    assert "Domnīca Kokneses pagastā" in page.get_data(as_text=True)
    copied = Path(restarted.instance_path) / "uploads" / "programma.pdf"
    assert copied.read_bytes() == b"%PDF-1.4 programma"


def test_restore_refuses_to_overwrite_data_unless_forced(app, runner, signed_up):
    registration, _ = signed_up
    archive = create(runner)
    make_registration(registration.event, first_name="Jānis")  # written after the backup

    refused = runner.invoke(args=["backup", "restore", str(archive)])
    assert refused.exit_code == 1
    assert "already holds data" in refused.output
    assert "--force" in refused.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 2

    db.session.remove()
    forced = runner.invoke(args=["backup", "restore", "--force", str(archive)])
    assert forced.exit_code == 0, forced.output
    names = db.session.scalars(sa.select(Registration.first_name)).all()
    assert names == ["Līga"]


def _archive(path: Path, members: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def _manifest(database: str) -> bytes:
    return json.dumps(
        {
            "format": 1,
            "created_at": "2026-12-01T09:00:00+00:00",
            "database": database,
            "revisions": [],
            "has_secret_key": False,
            "has_uploads": False,
        }
    ).encode()


def test_a_backup_of_the_other_database_kind_is_refused(app, runner, tmp_path):
    other_kind = "postgresql" if backup.backend() == "sqlite" else "sqlite"
    archive = _archive(tmp_path / "other.tar.gz", {"manifest.json": _manifest(other_kind)})
    result = runner.invoke(args=["backup", "restore", "--force", str(archive)])
    assert result.exit_code == 1
    assert f"backup of a {other_kind} database" in result.output


def test_a_path_outside_the_backup_is_refused_before_anything_is_written(app, runner, tmp_path):
    archive = _archive(
        tmp_path / "evil.tar.gz",
        {"manifest.json": _manifest(backup.backend()), "../../outside.txt": b"x"},
    )
    result = runner.invoke(args=["backup", "restore", "--force", str(archive)])
    assert result.exit_code == 1
    assert "unsafe path" in result.output
    assert not list(tmp_path.rglob("outside.txt"))


def test_a_file_that_is_no_backup_is_refused(app, runner, tmp_path):
    junk = tmp_path / "notes.tar.gz"
    junk.write_text("not a backup")
    result = runner.invoke(args=["backup", "restore", str(junk)])
    assert result.exit_code == 1
    assert "not a readable backup" in result.output


def test_keep_deletes_all_but_the_newest_backups(app, runner, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    for day in (1, 2, 3):
        with frozen_time(datetime(2026, 12, day, 2, 0, tzinfo=UTC)):
            create(runner, str(folder), "--keep", "2")
    assert sorted(path.name for path in folder.iterdir()) == [
        "registration-20261202-020000Z.tar.gz",
        "registration-20261203-020000Z.tar.gz",
    ]
