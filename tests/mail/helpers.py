"""Doing what the booking service will do: save a registration and send its signal."""

from __future__ import annotations

import vobject

from registration import signals
from registration.extensions import db
from registration.models import OutboxMessage, OutboxState
from registration.services.tokens import assign_manage_token
from tests import factories


def sign_up(event, **fields):
    """A registration saved with a working manage link, its signal sent, then committed."""
    registration = factories.make_registration(event, commit=False, **fields)
    assign_manage_token(registration)
    db.session.flush()
    signals.registration_created.send(registration)
    db.session.commit()
    return registration


def rows(**filters) -> list[OutboxMessage]:
    query = db.select(OutboxMessage).filter_by(**filters).order_by(OutboxMessage.id)
    return list(db.session.scalars(query))


def states() -> dict[str, int]:
    counts: dict[str, int] = {}
    for row in rows():
        counts[row.state.value] = counts.get(row.state.value, 0) + 1
    return counts


def calendar_of(message):
    """The parsed .ics attached to a received message (vobject), and its MIME part."""
    parts = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1, [p.get_content_type() for p in message.iter_attachments()]
    part = parts[0]
    return vobject.readOne(part.get_content()), part


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


__all__ = ["OutboxState", "calendar_of", "html_of", "rows", "sign_up", "states", "text_of"]
