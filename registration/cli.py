"""Command-line tasks: `flask --app registration seed-demo | create-organiser | release-holds`."""

from __future__ import annotations

import sys

import click
import sqlalchemy as sa
from flask import Flask

from .demo import seed_demo
from .extensions import db
from .models import Event, OrganiserRole
from .services import DomainError, opt_in, organisers


def fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Only when the database has no events yet.")
def seed_demo_command(if_empty: bool) -> None:
    """Load the demo programme (think tanks, seminars, study trips, final event)."""
    if if_empty and db.session.scalar(sa.select(sa.func.count()).select_from(Event)):
        click.echo("The database already has events; demo not loaded.")
        return
    added = seed_demo()
    click.echo(f"Demo loaded: {added} events added.")


def _read_password() -> str:
    if sys.stdin.isatty():
        first = click.prompt("Password", hide_input=True, err=True)
        second = click.prompt("Repeat the password", hide_input=True, err=True)
    else:
        lines = [line.rstrip("\r\n") for line in sys.stdin.readlines()]
        lines = [line for line in lines if line]
        if not lines:
            fail("no password on standard input.")
        first, second = lines[0], lines[1] if len(lines) > 1 else lines[0]
    if first != second:
        fail("the two passwords differ.")
    if len(first) < organisers.MIN_PASSWORD_LENGTH:
        fail(f"the password must be at least {organisers.MIN_PASSWORD_LENGTH} characters long.")
    return first


@click.command("create-organiser")
@click.argument("email")
@click.option("--admin", is_flag=True, help="May also manage organiser accounts.")
@click.option("--name", default="", help="Name shown in the audit log.")
def create_organiser_command(email: str, admin: bool, name: str) -> None:
    """Create a back-office account. The password is asked twice, or read from stdin."""
    # The account rules are the back office's (services.organisers); they are checked here
    # one by one first, so that nobody types a password only to hear the email was wrong.
    try:
        email = organisers.valid_email(email)
    except DomainError as error:
        fail(f"{email!r} is not a valid email address ({error.__cause__ or error.message}).")
    if organisers.find_by_email(email) is not None:
        fail(f"an organiser with the email {email} already exists.")
    password = _read_password()
    role = OrganiserRole.ADMIN if admin else OrganiserRole.ORGANISER
    try:
        organisers.create_organiser(email, password, name=name, role=role, actor=None)
    except DomainError as error:
        fail(str(error.message))
    click.echo(f"Created {role.value} {email}.")


@click.command("release-holds")
def release_holds_command() -> None:
    """Give the places not confirmed in time (double opt-in) to the people waiting. The mail
    worker loop does this every few minutes; without it, run this from cron."""
    events = opt_in.release_overdue()
    click.echo(f"Places not confirmed in time released at {events} events.")


def init_app(app: Flask) -> None:
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(create_organiser_command)
    app.cli.add_command(release_holds_command)
