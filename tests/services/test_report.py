"""The funder's activity report against the figures counted by hand in tests/report_scenario.py."""

from __future__ import annotations

from datetime import date

import pytest

from registration.models import EventKind
from registration.services import report, statistics
from registration.services.report import Period
from registration.services.statistics import People
from registration.timeutil import frozen_time
from tests import report_scenario
from tests.factories import make_project
from tests.report_scenario import KOKNESE, MAZZALVE, NERETA, ZALVE


@pytest.fixture
def scenario(app):
    with frozen_time(report_scenario.NOW):
        yield report_scenario.build()


def row(activity) -> tuple:
    f = activity.figures
    return (
        activity.event.title,
        f.registrations,
        f.confirmed,
        f.waiting,
        f.cancelled,
        f.attended if f.attendance_taken else None,
        activity.walk_ins,
        activity.waiting_at_start,
    )


def test_one_row_per_activity_that_took_place(scenario):
    result = report.build(scenario.project)
    assert [row(a) for a in result.activities] == [
        ("Domnīca Mazzalvē", 6, 4, 1, 1, 3, 1, 1),
        ("Domnīca Neretā", 3, 3, 0, 0, 3, 1, 0),
        ("Seminārs par iedzīvotāju padomēm", 3, 3, 0, 0, None, 0, 1),
        ("Pieredzes brauciens uz Sēliju", 2, 2, 0, 0, 2, 0, 0),
    ]
    assert result.activities[0].figures.attendance_rate == pytest.approx(3 / 4)


def test_cancelled_and_draft_events_are_listed_apart_and_count_nowhere(scenario):
    result = report.build(scenario.project)
    assert result.left_out == [scenario.cancelled, scenario.draft]
    t = result.totals
    assert (t.registrations, t.confirmed, t.waiting, t.cancelled, t.attended) == (14, 12, 1, 1, 8)
    # 9 confirmed at the three events where attendance was taken, 8 of them came.
    assert t.attendance_rate == pytest.approx(8 / 9)
    assert (result.walk_ins, result.waiting_at_start) == (2, 2)


def test_the_overview_page_agrees_and_leaves_the_cancelled_event_out(scenario):
    overview = statistics.overview(scenario.project)
    t = overview.totals
    # Before, the cancelled think tank added its two confirmed people (14 confirmed).
    assert (t.registrations, t.confirmed, t.attended) == (14, 12, 8)
    assert overview.left_out == [scenario.cancelled, scenario.draft]
    assert [e for e, _ in overview.events] == [scenario.t1, scenario.t2, scenario.s1, scenario.trip]


def test_totals_per_kind(scenario):
    kinds = report.build(scenario.project).kinds
    assert [(k.kind, k.activities, k.figures.confirmed, k.figures.attended) for k in kinds] == [
        (EventKind.THINK_TANK, 2, 7, 6),
        (EventKind.SEMINAR, 1, 3, 0),
        (EventKind.STUDY_TRIP, 1, 2, 2),
    ]


def test_unique_people_across_the_project(scenario):
    result = report.build(scenario.project)
    # Anna, Jānis, Pēteris, Kārlis, Ilze and the two walk-ins without an address.
    assert result.unique_confirmed == People(counted=7)
    # Anna (three times), Pēteris, Kārlis, Jānis (on the trip) and the two walk-ins.
    assert result.unique_attended == People(counted=6)
    assert result.without_address == 2


def test_people_by_place_in_latvian_order(scenario):
    places = report.build(scenario.project).places
    assert [(p.place, p.confirmed, p.attended, p.people.counted) for p in places] == [
        ("Ērgļi", 1, 1, 1),  # Ē sorts with E, not after Z
        (KOKNESE, 4, 2, 2),
        (MAZZALVE, 5, 4, 2),
        (NERETA, 1, 1, 1),
        (ZALVE, 1, 0, 0),
    ]


def test_organisations_among_those_who_attended(scenario):
    organisations = report.build(scenario.project).organisations
    # Anna twice for "Biedrība Zalve" (spelt two ways), Kārlis for "Neretas jaunieši".
    assert (organisations.representatives, organisations.residents) == (3, 5)
    assert organisations.distinct == 2


def test_ended_events_without_attendance_are_flagged(scenario):
    result = report.build(scenario.project)
    assert [a.event for a in result.unmarked] == [scenario.s1]


def test_a_period_counts_its_own_events(scenario):
    result = report.build(scenario.project, Period(date(2021, 9, 1), date(2021, 9, 30)))
    assert [a.event for a in result.activities] == [scenario.t1, scenario.t2, scenario.s1]
    assert result.left_out == []
    assert (result.totals.registrations, result.totals.confirmed, result.totals.attended) == (
        12,
        10,
        6,
    )
    assert result.unique_attended == People(counted=5)


def test_the_first_and_last_day_of_a_period_are_included(scenario):
    day = date(2021, 9, 15)
    result = report.build(scenario.project, Period(day, day))
    assert [a.event for a in result.activities] == [scenario.t1]


def test_an_empty_period_and_a_project_without_events_give_zeros(scenario):
    result = report.build(scenario.project, Period(date(2022, 1, 1), date(2022, 12, 31)))
    assert result.is_empty
    assert (result.totals.confirmed, result.unique_attended, result.places) == (0, People(), [])
    empty = report.build(make_project(title="Jauns projekts"))
    assert empty.is_empty and empty.kinds == [] and empty.organisations.distinct == 0
