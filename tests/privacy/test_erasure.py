"""Erasing one person's data on request keeps every count of an event that has ended."""

from __future__ import annotations

from datetime import UTC, datetime

from registration.models import Attendance, RegistrationStatus
from registration.privacy.erasure import erase_registration
from registration.services import statistics
from registration.timeutil import frozen_time

# Two weeks after the event: it has ended, and is still well within the retention period.
EVENT_START = datetime(2027, 2, 10, 8, 0, tzinfo=UTC)
NOW = datetime(2027, 2, 24, 10, 0, tzinfo=UTC)


def _counts(event) -> tuple:
    figures = statistics.figures_by_event([event.id])[event.id]
    places = [(p.place, p.confirmed, p.attended) for p in statistics.overview(event=event).places]
    return (
        figures.registrations, figures.confirmed, figures.waiting, figures.cancelled,
        figures.attended, places,
    )  # fmt: skip


def test_erasing_an_attendee_of_an_ended_event_keeps_its_counts(app, make_event, make_registration):
    event = make_event(starts_at=EVENT_START, capacity=None)
    attendee = make_registration(
        event, first_name="Velta", place="Koknese", attendance=Attendance.ATTENDED
    )
    make_registration(event, place="Koknese", attendance=Attendance.ABSENT)
    make_registration(event, place="Seces pagasts", attendance=Attendance.ATTENDED)
    make_registration(event, place="Koknese", status=RegistrationStatus.CANCELLED)

    with frozen_time(NOW):
        before = _counts(event)
        assert erase_registration(attendee.id, actor=None)
        after = _counts(event)

    assert before == (4, 3, 0, 1, 2, [("Koknese", 2, 1), ("Seces pagasts", 1, 1)])
    assert after == before
    # Who the erased person was is unknown now; they are not taken for nobody.
    assert statistics.overview(event=event).unique_confirmed == statistics.People(2, 1)
