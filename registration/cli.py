"""Command-line tasks: `flask --app registration seed-demo | create-organiser`."""

from __future__ import annotations

import sys

import click
import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask import Flask

from .extensions import db
from .models import Event, Organiser, OrganiserRole

MIN_PASSWORD_LENGTH = 12


def fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Only when the database has no events yet.")
def seed_demo_command(if_empty: bool) -> None:
    """Load the demo programme (think tanks, seminars, study trips, final event)."""
    from .demo import seed_demo

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
    if len(first) < MIN_PASSWORD_LENGTH:
        fail(f"the password must be at least {MIN_PASSWORD_LENGTH} characters long.")
    return first


@click.command("create-organiser")
@click.argument("email")
@click.option("--admin", is_flag=True, help="May also manage organiser accounts.")
@click.option("--name", default="", help="Name shown in the audit log.")
def create_organiser_command(email: str, admin: bool, name: str) -> None:
    """Create a back-office account. The password is asked twice, or read from stdin."""
    try:
        email = validate_email(email, check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        fail(f"{email!r} is not a valid email address ({exc}).")
    if db.session.scalar(sa.select(Organiser.id).where(Organiser.email == email)):
        fail(f"an organiser with the email {email} already exists.")
    password = _read_password()
    organiser = Organiser(
        email=email,
        name=name,
        role=OrganiserRole.ADMIN if admin else OrganiserRole.ORGANISER,
    )
    organiser.set_password(password)
    db.session.add(organiser)
    db.session.commit()
    click.echo(f"Created {organiser.role.value} {email}.")


def init_app(app: Flask) -> None:
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(create_organiser_command)
