"""A funded project of autumn 2021 with figures counted by hand, for the report's tests.

The clock stands at 1 December 2021 (`NOW`): every event is over.

    T1 think tank, 15.09., Mazzalve, 4 seats          → 6 registrations
       Anna ✓ (org "Biedrība Zalve") · Jānis ✗ · Pēteris ✓ (moved up from the waiting list
       before the start) · Līga cancelled · walk-in ✓ (no address) · Rasma still waiting
    T2 think tank, 22.09., Nereta                     → 3 (+1 junk, never counted)
       Anna ✓ (org " biedrība  ZALVE") · walk-in ✓ (no address) · Kārlis ✓ (org "Neretas
       jaunieši", lives in "Ērgļi", typed as "other")
    S1 seminar, 24.09.: nobody's attendance marked    → 3
       Anna · Jānis · Ilze (waiting at the start, let in at the door)
    X  think tank, 01.10., CANCELLED, still 2 confirmed → not counted
    D  seminar, 08.10., DRAFT, 1 confirmed             → not counted
    B  study trip, 19.10.                              → 2
       Anna ✓ · Jānis ✓
    and an event of no project with Anna, not counted.

Places: Anna and the first walk-in live in Mazzalves pagasts, Jānis and Pēteris in Koknese,
the second walk-in in Neretas pagasts, Ilze in Zalves pagasts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from registration.models import (
    Attendance,
    CancelReason,
    Event,
    EventKind,
    EventStatus,
    Project,
    RegistrationSource,
    RegistrationStatus,
)
from registration.timeutil import riga_datetime
from tests.factories import make_event, make_project, make_registration

NOW = datetime(2021, 12, 1, 10, 0, tzinfo=UTC)
MAZZALVE, KOKNESE, NERETA, ZALVE = (
    "Mazzalves pagasts",
    "Koknese",
    "Neretas pagasts",
    "Zalves pagasts",
)
ATTENDED, ABSENT = Attendance.ATTENDED, Attendance.ABSENT
CONFIRMED = RegistrationStatus.CONFIRMED
WAITING = RegistrationStatus.WAITLISTED
CANCELLED = RegistrationStatus.CANCELLED
WALK_IN = RegistrationSource.WALK_IN


@dataclass
class Scenario:
    project: Project
    t1: Event
    t2: Event
    s1: Event
    cancelled: Event
    draft: Event
    trip: Event


def on(day: date, hour: int = 10) -> datetime:
    return riga_datetime(day, time(hour))


def _event(project, title, day, kind=EventKind.THINK_TANK, **fields) -> Event:
    fields.setdefault("capacity", 20)
    return make_event(title=title, project=project, kind=kind, starts_at=on(day), **fields)


def _anna(event, **fields):
    return make_registration(
        event,
        first_name="Anna",
        last_name="Ābele",
        email="anna@example.lv",
        name_key="anna abele",
        place=MAZZALVE,
        **fields,
    )


def _janis(event, **fields):
    return make_registration(
        event,
        first_name="Jānis",
        last_name="Ozols",
        email="janis@example.lv",
        name_key="janis ozols",
        place=KOKNESE,
        **fields,
    )


def _walk_in(event, place, last_name):
    return make_registration(
        event,
        first_name="Inese",
        last_name=last_name,
        email="",
        email_key=None,
        place=place,
        attendance=ATTENDED,
        source=WALK_IN,
    )


def build() -> Scenario:
    project = make_project(
        title="Iedzīvotāju stiprināšana par pilsonisko līdzdalību",
        code="2021.LV/NVOF/MIC/031/10",
        starts_on=date(2021, 2, 1),
        ends_on=date(2021, 11, 20),
    )
    t1 = _event(project, "Domnīca Mazzalvē", date(2021, 9, 15), capacity=4, place=MAZZALVE)
    start = t1.starts_at
    _anna(t1, attendance=ATTENDED, organisation="Biedrība Zalve")
    _janis(t1, attendance=ABSENT)
    make_registration(
        t1,
        first_name="Pēteris",
        last_name="Kļaviņš",
        email="peteris@example.lv",
        place=KOKNESE,
        attendance=ATTENDED,
        queued_at=start - timedelta(days=9),
        confirmed_at=start - timedelta(days=2),
    )
    make_registration(
        t1,
        first_name="Līga",
        last_name="Liepa",
        email="liga@example.lv",
        status=CANCELLED,
        queued_at=start - timedelta(days=10),
        confirmed_at=start - timedelta(days=10),
        cancelled_at=start - timedelta(days=3),
        cancel_reason=CancelReason.PERSON,
    )
    _walk_in(t1, MAZZALVE, "Ērgle")
    make_registration(
        t1,
        first_name="Rasma",
        last_name="Zariņa",
        email="rasma@example.lv",
        status=WAITING,
        queued_at=start - timedelta(days=5),
    )

    t2 = _event(project, "Domnīca Neretā", date(2021, 9, 22), place=NERETA)
    _anna(t2, attendance=ATTENDED, organisation=" biedrība  ZALVE", email_key="anna@example.lv")
    _walk_in(t2, NERETA, "Čakste")
    make_registration(
        t2,
        first_name="Kārlis",
        last_name="Šmits",
        email="karlis@example.lv",
        place="other",
        place_other="Ērgļi",
        organisation="Neretas jaunieši",
        attendance=ATTENDED,
    )
    make_registration(
        t2,
        first_name="asdf",
        last_name="asdf",
        email="bot@example.lv",
        status=CANCELLED,
        cancel_reason=CancelReason.JUNK,
    )

    s1 = _event(project, "Seminārs par iedzīvotāju padomēm", date(2021, 9, 24), EventKind.SEMINAR)
    _anna(s1)
    _janis(s1)
    make_registration(
        s1,
        first_name="Ilze",
        last_name="Bērziņa",
        email="ilze@example.lv",
        place=ZALVE,
        queued_at=s1.starts_at - timedelta(days=1),
        confirmed_at=s1.starts_at + timedelta(minutes=10),
    )

    cancelled = _event(project, "Domnīca Secē", date(2021, 10, 1), status=EventStatus.CANCELLED)
    _anna(cancelled)
    make_registration(cancelled, first_name="Guntis", last_name="Kalns", place=KOKNESE)
    draft = _event(
        project,
        "Seminārs (melnraksts)",
        date(2021, 10, 8),
        EventKind.SEMINAR,
        status=EventStatus.DRAFT,
    )
    _anna(draft)

    trip = _event(
        project, "Pieredzes brauciens uz Sēliju", date(2021, 10, 19), EventKind.STUDY_TRIP
    )
    _anna(trip, attendance=ATTENDED)
    _janis(trip, attendance=ATTENDED)

    other = make_event(title="Citu rīkots pasākums", starts_at=on(date(2021, 9, 20)))
    _anna(other, attendance=ATTENDED)
    return Scenario(project, t1, t2, s1, cancelled, draft, trip)
