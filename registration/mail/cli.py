"""`flask --app registration mail send [--loop] | mail status | mail thanks` and
`reminders send`."""

from __future__ import annotations

import logging
import signal
import sys
import threading
import time

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from ..extensions import db
from ..models import OutboxState
from ..privacy import cli as privacy_cli
from ..privacy import retention
from ..services import opt_in
from ..timeutil import now_utc
from . import outbox, reminders, sender, thanks

logger = logging.getLogger(__name__)

mail_cli = AppGroup("mail", help="The mail outbox: deliver queued messages, see the queue.")
reminders_cli = AppGroup("reminders", help="Reminders before events.")


def _summary(report: sender.Report) -> str:
    return f"sent {report.sent}, failed {report.failed}, retrying later {report.deferred}" + (
        f", given back {report.released}" if report.released else ""
    )


@mail_cli.command("send")
@click.option("--loop", is_flag=True, help="Keep running until stopped (SIGTERM or Ctrl-C).")
@click.option(
    "--interval",
    type=float,
    default=None,
    help="Seconds between looks at the outbox when idle (default MAIL_POLL_SECONDS).",
)
def send_command(loop: bool, interval: float | None) -> None:
    """Deliver the messages that are due. With --loop, also queue due reminders, release
    places not confirmed in time and, once a day (ANONYMISE_INTERVAL_SECONDS), anonymise
    registrations past the retention period."""
    if not loop:
        report = sender.send_pending()
        click.echo(_summary(report))
        if report.connection_error:
            click.echo(f"Mail server unavailable: {report.connection_error}", err=True)
            sys.exit(1)
        return
    _run_loop(interval or current_app.config["MAIL_POLL_SECONDS"])


def _run_loop(interval: float) -> None:
    config = current_app.config
    stop = threading.Event()

    def request_stop(signum, frame) -> None:
        stop.set()

    previous = {
        signum: signal.signal(signum, request_stop) for signum in (signal.SIGTERM, signal.SIGINT)
    }
    click.echo("Mail sender running; stop it with SIGTERM or Ctrl-C.")
    next_reminders = next_anonymising = 0.0
    try:
        while not stop.is_set():
            try:
                if time.monotonic() >= next_reminders:
                    queued = reminders.queue_due_reminders()
                    db.session.commit()
                    if queued:
                        click.echo(f"{queued} reminders queued")
                    # Places not confirmed in time go to the people waiting (double opt-in).
                    opt_in.release_overdue()
                    next_reminders = time.monotonic() + config["MAIL_REMINDER_INTERVAL_SECONDS"]
                if _anonymising_due(next_anonymising):
                    next_anonymising = time.monotonic() + _anonymise()
                report = sender.send_pending(stop=stop)
                if report.handled or report.released:
                    click.echo(_summary(report))
                if report.connection_error:
                    click.echo(f"Mail server unavailable: {report.connection_error}", err=True)
                    wait = config["MAIL_RETRY_BASE_SECONDS"]
                else:
                    wait = _idle_seconds(interval)
            except Exception:
                # A database that went away for a moment must not end the worker.
                logger.exception("the mail sender's round failed; trying again later")
                wait = config["MAIL_RETRY_BASE_SECONDS"]
            db.session.remove()
            stop.wait(wait)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    click.echo("Mail sender stopped.")


def _anonymising_due(next_run: float) -> bool:
    """Whether the loop should anonymise expired registrations now (see registration/privacy)."""
    interval = current_app.config.get("ANONYMISE_INTERVAL_SECONDS")
    return bool(interval) and time.monotonic() >= next_run


def _anonymise() -> float:
    """One anonymising run; returns the seconds until the next. A failure is logged and tried
    again within the hour, and never keeps the loop from sending mail."""
    interval = current_app.config["ANONYMISE_INTERVAL_SECONDS"]
    try:
        done = retention.anonymise_expired()
    except Exception:
        db.session.rollback()
        logger.exception("anonymising expired registrations failed; trying again later")
        return min(interval, 3600)
    if done.changed_anything:
        click.echo(privacy_cli.summary(done))
    return interval


def _idle_seconds(interval: float) -> float:
    due = outbox.next_due_at()
    db.session.commit()
    if due is None:
        return interval
    return min(interval, max((due - now_utc()).total_seconds(), 0.0))


@mail_cli.command("status")
def status_command() -> None:
    """Messages by state and the oldest one still waiting."""
    status = outbox.status()
    for state in OutboxState:
        click.echo(f"{state.value:<8} {status.counts[state]:>7}")
    oldest = status.oldest_pending
    if oldest is None:
        click.echo("Nothing is waiting.")
        return
    age = now_utc() - oldest.created_at
    minutes = int(age.total_seconds() // 60)
    click.echo(
        f"Oldest waiting: #{oldest.id} ({oldest.kind}), queued "
        f"{oldest.created_at:%Y-%m-%d %H:%M} UTC, {minutes} min ago, "
        f"{oldest.attempts} attempts, next try {oldest.next_attempt_at:%Y-%m-%d %H:%M} UTC"
        + (f"; last error: {oldest.last_error}" if oldest.last_error else "")
    )


@reminders_cli.command("send")
def reminders_command() -> None:
    """Queue the reminders that are due (each person gets one, however often this runs)."""
    queued = reminders.queue_due_reminders()
    db.session.commit()
    click.echo(f"{queued} reminders queued.")


@mail_cli.command("thanks")
def thanks_command() -> None:
    """Queue the thank-yous due after events (for installs that run the scheduler's tasks
    from timers; each person gets one, however often this runs)."""
    queued = thanks.queue_due_thanks()
    db.session.commit()
    click.echo(f"{queued} thank-you messages queued.")


def init_app(app: Flask) -> None:
    app.cli.add_command(mail_cli)
    app.cli.add_command(reminders_cli)
