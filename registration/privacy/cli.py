"""`flask --app registration data anonymise [--dry-run]`."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from . import retention

data_cli = AppGroup("data", help="Personal data: erase it once the retention period is over.")


def summary(report: retention.Report) -> str:
    months = current_app.config["RETENTION_MONTHS"]
    verb = "would be" if report.dry_run else "were"
    return (
        f"Events that ended before {report.cutoff:%Y-%m-%d %H:%M} UTC ({months} months ago): "
        f"{report.registrations} registrations of {report.events} events {verb} anonymised, "
        f"{report.messages} outbox messages {verb} deleted."
    )


@data_cli.command("anonymise")
@click.option("--dry-run", is_flag=True, help="Only count what would be anonymised.")
def anonymise_command(dry_run: bool) -> None:
    """Anonymise registrations of events that ended more than RETENTION_MONTHS ago.

    Names, contact details and notes are erased and the private links stop working; status,
    attendance and place of residence stay, so the counts stay true. Safe to run daily.
    """
    click.echo(summary(retention.anonymise_expired(dry_run=dry_run)))


def init_app(app: Flask) -> None:
    app.cli.add_command(data_cli)
