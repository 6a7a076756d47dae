"""Figures for organisers and the funder, against numbers counted by hand.

The scenario: a project with two events (A, B) and one event outside it (C). Anna comes to
all three (with her address typed in other letters once); walk-ins and a phone sign-up have
no email; one person waits, two cancelled.

    A: Anna ✓ · Jānis ✗ · Līga cancelled · Pēteris waiting · walk-in ✓ (typed "Ozolnieku
       ciems") · phone sign-up (not marked)                        → 6 registrations
    B: ANNA ✓ · Māris (not marked) · walk-in ✓                     → 3
    C: Anna (nobody marked) · Roberts cancelled, marked absent     → 2
"""

from __future__ import annotations

from datetime import date

import pytest

from registration.models import Attendance, RegistrationSource, RegistrationStatus
from registration.services import statistics
from registration.services.statistics import Figures
from registration.timeutil import now_utc
from tests.factories import at_riga, make_event, make_project, make_registration

SKRIVERI = "Skrīveru pagasts"
KOKNESE = "Koknese"
ATTENDED, ABSENT = Attendance.ATTENDED, Attendance.ABSENT
CONFIRMED = RegistrationStatus.CONFIRMED
WAITING = RegistrationStatus.WAITLISTED
CANCELLED = RegistrationStatus.CANCELLED


def person(event, email, place=SKRIVERI, status=CONFIRMED, attendance=None, **fields):
    return make_registration(
        event, email=email, place=place, status=status, attendance=attendance, **fields
    )


def no_email(event, place=SKRIVERI, attendance=None, **fields):
    """A walk-in or a phone sign-up: nothing tells whether two of them are one person."""
    return make_registration(
        event, email="", email_key=None, place=place, attendance=attendance, **fields
    )


@pytest.fixture
def scenario(app):
    project = make_project(title="Kopienu stiprināšana", starts_on=date(2027, 1, 1))
    a = make_event(title="A", project=project, capacity=10, starts_at=at_riga(7))
    b = make_event(title="B", project=project, starts_at=at_riga(8))
    c = make_event(title="C", starts_at=at_riga(9))

    person(a, "anna@example.lv", attendance=ATTENDED)
    person(a, "janis@example.lv", KOKNESE, attendance=ABSENT)
    person(a, "liga@example.lv", KOKNESE, status=CANCELLED)
    person(a, "peteris@example.lv", status=WAITING)
    no_email(a, "other", ATTENDED, place_other="Ozolnieku ciems", source=RegistrationSource.WALK_IN)
    no_email(a, KOKNESE, source=RegistrationSource.ORGANISER, phone="+37126123456")

    person(b, " Anna@Example.lv ", email_key="anna@example.lv", attendance=ATTENDED)
    person(b, "maris@example.lv", KOKNESE)
    no_email(b, SKRIVERI, ATTENDED, source=RegistrationSource.WALK_IN)

    person(c, "anna@example.lv")
    person(c, "roberts@example.lv", status=CANCELLED, attendance=ABSENT)
    return project, a, b, c


def counts(figures: Figures) -> tuple:
    return (
        figures.registrations,
        figures.confirmed,
        figures.waiting,
        figures.cancelled,
        figures.attended,
        figures.checked_confirmed,
        figures.attendance_taken,
    )


def places(overview) -> list[tuple[str, int, int, int]]:
    return [(p.place, p.confirmed, p.attended, p.unique_people) for p in overview.places]


def test_figures_of_each_event(scenario):
    _, a, b, c = scenario
    figures = statistics.figures_by_event([a.id, b.id, c.id])
    assert counts(figures[a.id]) == (6, 4, 1, 1, 2, 4, True)
    assert counts(figures[b.id]) == (3, 3, 0, 0, 2, 3, True)
    # Roberts, cancelled, was marked absent: that is not attendance taken at event C.
    assert counts(figures[c.id]) == (2, 1, 0, 1, 0, 0, False)
    assert figures[a.id].attendance_rate == pytest.approx(2 / 4)
    assert figures[b.id].attendance_rate == pytest.approx(2 / 3)
    assert figures[c.id].attendance_rate is None


def test_one_project(scenario):
    project = scenario[0]
    overview = statistics.overview(project=project)
    assert [event.title for event, _ in overview.events] == ["A", "B"]
    assert counts(overview.totals) == (9, 7, 1, 1, 4, 7, True)
    assert overview.totals.attendance_rate == pytest.approx(4 / 7)
    # Anna, Jānis, Māris and the three people without email; Anna once.
    assert overview.unique_confirmed == 6
    # Anna and the two walk-ins.
    assert overview.unique_attended == 3
    assert places(overview) == [
        (KOKNESE, 3, 0, 3),
        (SKRIVERI, 3, 3, 2),
        ("Ozolnieku ciems", 1, 1, 1),
    ]


def test_every_event(scenario):
    overview = statistics.overview()
    assert [event.title for event, _ in overview.events] == ["A", "B", "C"]
    # C adds its registrations, but not to the attendance rate: nobody was marked there.
    assert counts(overview.totals) == (11, 8, 1, 2, 4, 7, True)
    assert overview.totals.attendance_rate == pytest.approx(4 / 7)
    assert (overview.unique_confirmed, overview.unique_attended) == (6, 3)
    assert places(overview) == [
        (SKRIVERI, 4, 3, 2),
        (KOKNESE, 3, 0, 3),
        ("Ozolnieku ciems", 1, 1, 1),
    ]


def test_one_event(scenario):
    _, a, _, _ = scenario
    overview = statistics.overview(event=a)
    assert [event.title for event, _ in overview.events] == ["A"]
    assert (overview.unique_confirmed, overview.unique_attended) == (4, 2)
    assert places(overview) == [
        (KOKNESE, 2, 0, 2),
        ("Ozolnieku ciems", 1, 1, 1),
        (SKRIVERI, 1, 1, 1),
    ]


def test_anonymised_people_count_as_registrations_but_not_as_people(app):
    event = make_event()
    person(event, "anna@example.lv", attendance=ATTENDED)
    person(event, "", email_key=None, anonymised_at=now_utc(), attendance=ATTENDED)
    overview = statistics.overview(event=event)
    assert (overview.totals.confirmed, overview.totals.attended) == (2, 2)
    assert (overview.unique_confirmed, overview.unique_attended) == (1, 1)
    assert places(overview) == [(SKRIVERI, 2, 2, 1)]


def test_other_without_a_name_and_no_place_at_all(app):
    event = make_event()
    no_email(event, "other", place_other="  ")
    no_email(event, "")
    assert places(statistics.overview(event=event)) == [("", 1, 0, 1), ("other", 1, 0, 1)]


def test_places_of_equal_size_in_latvian_order(app):
    event = make_event()
    for place in ("Šķēle", "Sece", "Zalve", "Ērberģe", "Aizkraukle"):
        no_email(event, place)
    assert [p.place for p in statistics.overview(event=event).places] == [
        "Aizkraukle", "Ērberģe", "Sece", "Šķēle", "Zalve",
    ]  # fmt: skip


def test_nothing_to_count(app):
    assert statistics.figures_by_event([]) == {}
    event = make_event()
    (figures,) = statistics.figures_by_event([event.id]).values()
    assert counts(figures) == (0, 0, 0, 0, 0, 0, False)
    assert figures.attendance_rate is None
    empty = make_project()
    overview = statistics.overview(project=empty)
    assert (overview.events, overview.places) == ([], [])
    assert (overview.unique_confirmed, overview.unique_attended) == (0, 0)
    assert counts(overview.totals) == (0, 0, 0, 0, 0, 0, False)


def test_an_event_where_only_absence_was_marked_has_a_rate_of_nought(app):
    event = make_event()
    person(event, "janis@example.lv", attendance=ABSENT)
    person(event, "maris@example.lv")
    figures = statistics.figures_by_event([event.id])[event.id]
    assert figures.attendance_rate == 0.0


def test_projects_newest_first_and_those_without_a_start_last(app):
    undated = make_project(title="Bez datuma")
    old = make_project(title="2025", starts_on=date(2025, 3, 1))
    new = make_project(title="2027", starts_on=date(2027, 1, 1))
    assert statistics.projects() == [new, old, undated]
    assert statistics.get_project(old.id) == old
    assert statistics.get_project(999) is None
