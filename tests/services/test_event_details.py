"""The rules an event's details must keep, straight through the services: every rule
`event_details.check` applies, and how an edit meets them (capacity against the people
confirmed, pickup stops, web addresses).

The clock is frozen on 1 March 2027, 10:00 in Riga; events are on fixed Riga days and times.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from registration.extensions import db
from registration.models import (
    Event,
    EventKind,
    Registration,
    RegistrationStatus,
)
from registration.services import event_admin, event_details
from registration.services.event_details import ProgrammeDetails, StopDetails
from tests.factories import make_event, make_project, make_registration

from .sample_events import (
    NOW,
    audit_actions,
    outbox_kinds,
    riga,
    study_trip,
    think_tank,
)

pytestmark = pytest.mark.usefixtures("frozen_clock")


# -- check: one rule at a time ---------------------------------------------------------------


def test_valid_details_break_no_rule(app):
    assert event_details.check(think_tank()) == {}
    assert event_details.check(study_trip()) == {}


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": "   "}, "title", "Ierakstiet nosaukumu."),
        (
            {"starts_at": NOW - timedelta(minutes=1), "ends_at": NOW + timedelta(hours=1)},
            "starts_at",
            "Sākuma laiks jau ir pagājis. Pārbaudiet datumu un laiku.",
        ),
        ({"ends_at": riga(10)}, "ends_at", "Pasākumam jābeidzas pēc tā sākuma."),
        ({"ends_at": riga(9)}, "ends_at", "Pasākumam jābeidzas pēc tā sākuma."),
        (
            {"registration_closes_at": riga(13)},
            "registration_closes_at",
            "Pieteikšanās jābeidz pirms pasākuma beigām.",
        ),
        (
            {"registration_opens_at": riga(9), "registration_closes_at": riga(9)},
            "registration_opens_at",
            "Pieteikšanās jāsāk pirms tās beigām un pirms pasākuma beigām.",
        ),
        (
            {"registration_opens_at": riga(13)},
            "registration_opens_at",
            "Pieteikšanās jāsāk pirms tās beigām un pirms pasākuma beigām.",
        ),
        (
            {"capacity": -1},
            "capacity",
            "Vietu skaits nevar būt negatīvs. Ja tas nav ierobežots, atstājiet lauku tukšu.",
        ),
        ({"reminder_hours": 0}, "reminder_hours", None),
        ({"reminder_hours": 337}, "reminder_hours", None),
        ({"is_online": True}, "online_url", "Tiešsaistes pasākumam vajadzīga pieslēgšanās saite."),
        ({"venue_name": " ", "venue_address": ""}, "venue_name", None),
        ({"project_id": 999}, "project_id", "Izvēlieties projektu no saraksta."),
        ({"kind": EventKind.STUDY_TRIP}, "pickup_stops", None),
    ],
)
def test_each_rule_names_its_field_and_says_what_to_fix(app, overrides, field, message):
    errors = event_details.check(think_tank(**overrides))
    assert set(errors) == {field}
    if message is not None:
        assert errors[field] == message


def test_every_broken_rule_is_reported_at_once(app):
    errors = event_details.check(
        think_tank(title="", ends_at=riga(9), capacity=-5, is_online=True, reminder_hours=0)
    )
    assert set(errors) == {"title", "ends_at", "capacity", "online_url", "reminder_hours"}


@pytest.mark.parametrize(("hours", "ok"), [(1, True), (336, True), (None, True), (-1, False)])
def test_a_reminder_is_one_hour_to_fourteen_days_ahead_or_none(app, hours, ok):
    assert ("reminder_hours" not in event_details.check(think_tank(reminder_hours=hours))) is ok


def test_an_online_event_needs_no_venue_and_a_place_needs_no_link(app):
    online = think_tank(is_online=True, online_url="https://meet.example/domnica", venue_name="")
    assert event_details.check(online) == {}
    assert event_details.check(think_tank(venue_name="", venue_address="Skolas iela 1")) == {}


def test_an_existing_project_may_be_chosen(app):
    project = make_project()
    assert event_details.check(think_tank(project_id=project.id)) == {}


def test_a_start_already_past_is_no_reason_to_refuse_other_edits(app):
    """An event that has begun can still get a new venue: its unchanged start is not checked."""
    event = make_event(starts_at=NOW - timedelta(hours=1), ends_at=NOW + timedelta(hours=2))
    details = event_details.details_of(event)
    details.venue_name = "Cita zāle"
    assert event_details.check(details, event) == {}
    details.starts_at = NOW - timedelta(minutes=30)
    assert set(event_details.check(details, event)) == {"starts_at"}


# -- capacity against the people already confirmed -------------------------------------------


def test_the_capacity_cannot_fall_below_the_confirmed(app):
    event = make_event(starts_at=riga(10), capacity=5)
    for _ in range(3):
        make_registration(event)
    make_registration(event, status=RegistrationStatus.WAITLISTED)
    details = event_details.details_of(event)
    details.capacity = 2
    assert event_details.check(details, event) == {
        "capacity": "Jau apstiprināti 3 dalībnieki, tāpēc vietu nevar būt mazāk par 3. Ja vietu "
        "tiešām ir mazāk, vispirms atceliet pieteikumus."
    }
    for capacity in (3, None):
        details.capacity = capacity
        assert event_details.check(details, event) == {}


def test_a_refused_capacity_changes_nothing(app, organiser):
    event = make_event(starts_at=riga(10), capacity=2)
    make_registration(event)
    make_registration(event)
    details = event_details.details_of(event)
    details.capacity, details.venue_name = 1, "Cita zāle"
    with pytest.raises(event_details.InvalidEvent) as refused:
        event_admin.update_event(event.id, details, actor=organiser)
    assert set(refused.value.errors) == {"capacity"}
    db.session.refresh(event)
    assert (event.capacity, event.venue_name) == (2, "Tautas nams")
    assert audit_actions() == []


def test_more_seats_go_to_the_waiting_list_in_its_order(app, organiser):
    event = make_event(starts_at=riga(10), capacity=1)
    make_registration(event)
    first = make_registration(event, status=RegistrationStatus.WAITLISTED, queued_at=NOW)
    second = make_registration(
        event, status=RegistrationStatus.WAITLISTED, queued_at=NOW + timedelta(minutes=1)
    )
    details = event_details.details_of(event)
    details.capacity = 2
    update = event_admin.update_event(event.id, details, actor=organiser)
    assert (update.changed, update.promoted) == ({"capacity"}, 1)
    statuses = {r.id: r.status for r in db.session.scalars(sa.select(Registration))}
    assert statuses[first.id] is RegistrationStatus.CONFIRMED
    assert statuses[second.id] is RegistrationStatus.WAITLISTED
    db.session.refresh(event)
    assert event.confirmed_count == 2
    assert ("promoted", first.email) in outbox_kinds()


# -- pickup stops ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stops", "programme_at", "message"),
    [
        (
            [("Aizkraukle", riga(8)), ("Pļaviņas", riga(7, 30))],
            riga(10),
            "Pieturvietas ir maršruta secībā, tāpēc “Pļaviņas” nevar būt agrāk par iepriekšējo "
            "pieturvietu. Pārbaudiet laikus.",
        ),
        (
            [("Aizkraukle", riga(19, 30))],
            None,
            "Autobuss nevar atiet no pieturvietas “Aizkraukle” pēc brauciena beigām. Pārbaudiet "
            "laiku.",
        ),
        (
            [("Aizkraukle", riga(10, 30))],
            riga(10),
            "Autobuss atiet no pieturvietas “Aizkraukle” pēc dienas programmas sākuma. Pārbaudiet "
            "pieturvietas vai programmas laiku.",
        ),
        (
            [],
            riga(10),
            "Pieredzes apmaiņas braucienam vajadzīga vismaz viena pieturvieta.",
        ),
    ],
)
def test_stops_follow_the_route_and_the_day(app, stops, programme_at, message):
    details = study_trip(
        pickup_stops=[StopDetails(place=p, departs_at=at) for p, at in stops],
        programme=[ProgrammeDetails(description="Ekskursija", starts_at=programme_at)],
    )
    assert event_details.check(details) == {"pickup_stops": message}


def test_two_stops_at_the_same_minute_and_a_bus_at_the_programmes_start_are_fine(app):
    details = study_trip(
        pickup_stops=[
            StopDetails(place="Pļaviņas", departs_at=riga(8)),
            StopDetails(place="Aizkraukle", departs_at=riga(8)),
            StopDetails(place="Jaunolaine", departs_at=riga(10)),
        ]
    )
    assert event_details.check(details) == {}


def test_a_stop_of_another_event_is_refused_and_nothing_moves(app, organiser):
    trip = make_event(starts_at=riga(8), kind=EventKind.STUDY_TRIP, stops=[("Pļaviņas", 30)])
    other = make_event(starts_at=riga(8), kind=EventKind.STUDY_TRIP, stops=[("Koknese", 30)])
    details = event_details.details_of(trip)
    details.pickup_stops[0].id = other.pickup_stops[0].id
    with pytest.raises(event_details.StaleForm):
        event_admin.update_event(trip.id, details, actor=organiser)
    db.session.expire_all()
    assert [s.place for s in db.session.get(Event, trip.id).pickup_stops] == ["Pļaviņas"]
    assert [s.place for s in db.session.get(Event, other.id).pickup_stops] == ["Koknese"]


def test_a_stop_people_board_at_cannot_be_removed(app, organiser):
    trip = make_event(
        starts_at=riga(8), kind=EventKind.STUDY_TRIP, stops=[("Pļaviņas", 30), ("Koknese", 15)]
    )
    make_registration(trip, pickup_stop=trip.pickup_stops[1])
    make_registration(trip, pickup_stop=trip.pickup_stops[1])
    details = event_details.details_of(trip)
    details.pickup_stops = details.pickup_stops[:1]
    with pytest.raises(event_details.InvalidEvent) as refused:
        event_admin.update_event(trip.id, details, actor=organiser)
    assert refused.value.errors == {
        "pickup_stops": "Pieturvietā “Koknese” iekāpj 2 cilvēki. Pirms pieturvietas "
        "noņemšanas izvēlieties viņiem citu."
    }
    db.session.expire_all()
    assert len(db.session.get(Event, trip.id).pickup_stops) == 2


def test_an_unused_stop_is_removed_and_the_rest_renumbered(app, organiser):
    trip = make_event(
        starts_at=riga(8), kind=EventKind.STUDY_TRIP, stops=[("Pļaviņas", 30), ("Koknese", 15)]
    )
    details = event_details.details_of(trip)
    details.pickup_stops = details.pickup_stops[1:]
    update = event_admin.update_event(trip.id, details, actor=organiser)
    assert update.changed == {"pickup_stops"}
    db.session.expire_all()
    assert [(s.position, s.place) for s in db.session.get(Event, trip.id).pickup_stops] == [
        (1, "Koknese")
    ]


# -- web addresses ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "slug",
    ["Ne-Derīga", "nvo domnica", "domnīca", "-sākas", "beidzas-", "a--b", "a_b", "a" * 121],
)
def test_a_slug_is_small_latin_letters_digits_and_hyphens(app, slug):
    assert event_details.check(think_tank(slug=slug)) == {
        "slug": "Izmantojiet tikai mazos latīņu burtus, ciparus un defises, piemēram, "
        "nvo-domnica-sece."
    }


@pytest.mark.parametrize("slug", ["nvo-domnica-sece-2027", "a" * 120, "2027"])
def test_a_good_slug_is_accepted(app, slug):
    assert event_details.check(think_tank(slug=slug)) == {}


def test_a_slug_another_event_uses_is_refused_but_an_events_own_is_not(app):
    event = make_event(slug="domnica-irsos")
    assert event_details.check(think_tank(slug="domnica-irsos")) == {
        "slug": "Šo adresi jau izmanto cits pasākums."
    }
    own = event_details.details_of(event)
    assert event_details.check(own, event) == {}


def test_a_slug_is_made_from_the_title_and_never_repeats(app, organiser):
    first = event_admin.create_event(think_tank(title="NVO domnīca Secē"), actor=organiser)
    second = event_admin.create_event(think_tank(title="NVO domnīca, Secē!"), actor=organiser)
    third = event_admin.create_event(think_tank(title="NVO  domnīca Secē"), actor=organiser)
    assert [first.slug, second.slug, third.slug] == [
        "nvo-domnica-sece",
        "nvo-domnica-sece-2",
        "nvo-domnica-sece-3",
    ]
    assert event_details.unique_slug("!!!") == "notikums"
    assert len(event_details.unique_slug("ļoti garš nosaukums " * 20)) <= event_details.SLUG_MAX
