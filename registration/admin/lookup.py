"""What the address names: rows by id and numbers in the query string, 404 when there is
no such thing. The services answer None (or raise NotFound); HTTP is this layer's business.

Ids in routes use the converter `id`, the largest PostgreSQL `integer`:
a larger number is not an id of anything, and the database would refuse to compare with it.
"""

from __future__ import annotations

from typing import TypeVar

from flask import abort, request

from ..models import Event, Organiser, Registration
from ..services import event_admin, organisers, participants
from ..urls import MAX_ID

T = TypeVar("T")


def found(value: T | None) -> T:
    """`value`, or a 404 response when it is None."""
    if value is None:
        abort(404)
    return value


def event_or_404(event_id: int) -> Event:
    return found(event_admin.get_event(event_id))


def registration_or_404(registration_id: int) -> Registration:
    return found(participants.get_registration(registration_id))


def organiser_or_404(organiser_id: int) -> Organiser:
    return found(organisers.get_organiser(organiser_id))


def number_arg(name: str, default: int | None, *, low: int = 1, high: int = MAX_ID) -> int | None:
    """A whole number from the query string, `default` when absent; 404 when it is anything
    else or outside low..high (a huge page number would overflow the database's OFFSET)."""
    text = request.args.get(name, "")
    if text == "":
        return default
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(high)):
        abort(404)
    value = int(text)
    if not low <= value <= high:
        abort(404)
    return value
