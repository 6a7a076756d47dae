"""Sample event details for the event service tests: fixed Riga days and times, a frozen clock."""

from __future__ import annotations

from datetime import date, datetime, time

import sqlalchemy as sa

from registration.extensions import db
from registration.models import AuditAction, AuditEntry, EventKind, OutboxMessage
from registration.services.event_details import EventDetails, ProgrammeDetails, StopDetails
from registration.timeutil import riga_datetime

#: When the tests run: 1 March 2027, 10:00 in Riga (winter time, UTC+2).
NOW = riga_datetime(date(2027, 3, 1), time(10, 0))
#: The day of the events (before the spring change of clocks on 28 March).
DAY = date(2027, 3, 10)


def riga(hour: int, minute: int = 0, day: date = DAY) -> datetime:
    """A Riga wall-clock time on `day`, as aware UTC."""
    return riga_datetime(day, time(hour, minute))


def think_tank(**overrides) -> EventDetails:
    """Valid details: a think tank on 10 March 2027, 10:00–13:00 in Riga."""
    values = {
        "title": "NVO domnīca Iršos",
        "kind": EventKind.THINK_TANK,
        "starts_at": riga(10),
        "ends_at": riga(13),
        "venue_name": "Iršu pagasta saiešanas nams",
        "place": "Iršu pagasts",
        "capacity": 20,
    }
    values.update(overrides)
    return EventDetails(**values)


def study_trip(**overrides) -> EventDetails:
    """A study trip on 10 March 2027, 07:30–19:30, two stops and a programme at 10:00."""
    values = {
        "title": "Pieredzes brauciens uz Jaunolaini",
        "kind": EventKind.STUDY_TRIP,
        "starts_at": riga(7, 30),
        "ends_at": riga(19, 30),
        "venue_name": "Jaunolaine",
        "pickup_stops": [
            StopDetails(place="Pļaviņas, autoosta", departs_at=riga(7, 30)),
            StopDetails(place="Aizkraukle, autoosta", departs_at=riga(8, 0)),
        ],
        "programme": [ProgrammeDetails(description="Tikšanās ar biedrību", starts_at=riga(10))],
    }
    values.update(overrides)
    return EventDetails(**values)


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def audit_actions() -> list[AuditAction]:
    return list(db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)))


def outbox_kinds() -> list[tuple[str, str]]:
    rows = db.session.execute(
        sa.select(OutboxMessage.kind, OutboxMessage.recipient).order_by(OutboxMessage.id)
    )
    return [tuple(row) for row in rows]
