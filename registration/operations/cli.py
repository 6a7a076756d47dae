"""`flask --app registration backup create [PATH] [--keep N] | restore PATH [--force]`."""

from __future__ import annotations

import sys

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from . import backup, health, restore

backup_cli = AppGroup("backup", help="Back up the whole install in one file, or restore one.")


def _fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


@backup_cli.command("create")
@click.argument("path", required=False)
@click.option(
    "--keep",
    type=click.IntRange(min=1),
    default=None,
    help="Afterwards delete all but the newest KEEP backups in the same folder.",
)
def create_command(path: str | None, keep: int | None) -> None:
    """Write the database, the secret key and uploaded files into one file (owner-only).

    PATH is a folder (default: instance/backups/) or a file name ending in .tar.gz. Safe
    while the app runs.
    """
    try:
        written = backup.create_backup(path)
    except backup.BackupError as error:
        _fail(str(error))
    click.echo(f"Backup written to {written} ({written.stat().st_size // 1024} KiB).")
    if keep:
        for old in backup.prune(written.parent, keep):
            click.echo(f"Deleted the older backup {old}.")


@backup_cli.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--force", is_flag=True, help="Replace an install that already holds data.")
def restore_command(path: str, force: bool) -> None:
    """Put a backup back into the configured database and instance folder.

    Stop the app first (systemctl stop registration-web registration-mail) and start it
    again afterwards.
    """
    try:
        done = restore.restore_backup(path, force=force)
    except backup.BackupError as error:
        _fail(str(error))
    counts = ", ".join(f"{count} {name}" for name, count in done.counts.items())
    click.echo(f"Restored the backup of {done.manifest.created_at}: {counts}.")
    for note in done.notes:
        click.echo(f"Note: {note}", err=True)
    if set(done.revisions) != health.expected_revisions(current_app):
        click.echo("The backup's schema is older than this version: run flask db upgrade.")
    click.echo("Start the app again so that every process reads the restored data.")


def init_app(app: Flask) -> None:
    app.cli.add_command(backup_cli)
