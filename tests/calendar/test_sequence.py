"""SEQUENCE rises by itself when time, place or status changes, so calendars pick changes up."""

from __future__ import annotations

from datetime import timedelta

import pytest

from registration.extensions import db
from registration.models import Event, EventKind, EventStatus, PickupStop, ProgrammeItem
from registration.timeutil import now_utc

from .parsing import both, parse

CHANGES = {
    "starts_at": lambda e: setattr(e, "starts_at", e.starts_at - timedelta(hours=1)),
    "ends_at": lambda e: setattr(e, "ends_at", e.ends_at + timedelta(minutes=30)),
    "venue_name": lambda e: setattr(e, "venue_name", "Kultūras nams"),
    "venue_address": lambda e: setattr(e, "venue_address", "Skolas iela 1, Skrīveri"),
    "is_online": lambda e: setattr(e, "is_online", True),
    "online_url": lambda e: setattr(e, "online_url", "https://meet.example.org/jauna-istaba"),
    "status": lambda e: setattr(e, "status", EventStatus.CANCELLED),
}


def reload(event: Event) -> Event:
    db.session.expire_all()
    return db.session.get(Event, event.id)


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_a_change_of_time_place_or_status_raises_sequence(make_event, change):
    event = make_event()
    assert event.sequence == 0
    change(event)
    db.session.commit()
    assert reload(event).sequence == 1


def test_changes_right_after_loading_are_seen_too(make_event):
    # After a commit every attribute is expired: the old value must still be compared.
    event = make_event(venue_name="Tautas nams")
    db.session.expire_all()
    event.venue_name = "Tautas nams"
    db.session.commit()
    assert reload(event).sequence == 0
    db.session.expire_all()
    event.venue_name = "Skola"
    db.session.commit()
    assert reload(event).sequence == 1


def test_several_changes_in_one_save_count_once(make_event):
    event = make_event()
    event.starts_at += timedelta(days=1)
    event.ends_at += timedelta(days=1)
    event.venue_name = "Jaunā vieta"
    db.session.commit()
    assert reload(event).sequence == 1


def test_each_save_with_a_change_counts(make_event):
    event = make_event()
    for hours in (1, 2, 3):
        event.starts_at -= timedelta(hours=1)
        db.session.commit()
        assert reload(event).sequence == hours


def test_other_edits_leave_sequence_alone(make_event):
    event = make_event()
    event.title = "Jauns nosaukums"
    event.description = "Cits apraksts"
    event.capacity = 30
    db.session.commit()
    assert reload(event).sequence == 0


def test_setting_the_same_value_is_no_change(make_event):
    event = make_event()
    event.starts_at = event.starts_at + timedelta(0)
    event.status = EventStatus.PUBLISHED
    event.is_online = False
    db.session.commit()
    assert reload(event).sequence == 0


def test_changing_and_changing_back_before_saving_is_no_change(make_event):
    event = make_event()
    original = event.starts_at
    event.starts_at = original + timedelta(hours=2)
    event.starts_at = original
    db.session.commit()
    assert reload(event).sequence == 0


def test_a_new_event_starts_at_zero(make_event):
    event = make_event(status=EventStatus.DRAFT)
    assert reload(event).sequence == 0
    event.status = EventStatus.PUBLISHED
    db.session.commit()
    assert reload(event).sequence == 1


def test_the_served_file_carries_the_new_sequence_and_the_same_uid(client, make_event):
    event = make_event()
    uid = event.uid
    before = both(parse(client.get(f"/kalendars/notikums/{event.id}.ics").data), uid)
    event.title = "Pārdēvēta domnīca"
    db.session.commit()
    renamed = both(parse(client.get(f"/kalendars/notikums/{event.id}.ics").data), uid)
    event.starts_at += timedelta(days=1)
    event.ends_at += timedelta(days=1)
    db.session.commit()
    moved = both(parse(client.get(f"/kalendars/notikums/{event.id}.ics").data), uid)
    event.status = EventStatus.CANCELLED
    event.cancelled_at = now_utc()
    db.session.commit()
    cancelled = both(parse(client.get(f"/kalendars/notikums/{event.id}.ics").data), uid)

    assert [s.uid for s in (before, renamed, moved, cancelled)] == [uid] * 4
    assert [s.sequence for s in (before, renamed, moved, cancelled)] == [0, 0, 1, 2]
    assert renamed.summary == "Pārdēvēta domnīca"
    assert moved.starts_at == before.starts_at + timedelta(days=1)
    assert [s.status for s in (before, moved, cancelled)] == ["CONFIRMED", "CONFIRMED", "CANCELLED"]


# --- a trip's stops and programme ---------------------------------------------------------


@pytest.fixture
def trip(make_event):
    event = make_event(kind=EventKind.STUDY_TRIP, stops=[("Pļaviņas", 60), ("Aizkraukle", 30)])
    event.programme = [ProgrammeItem(position=1, description="Tikšanās")]
    db.session.commit()
    return reload(event)


STOP_CHANGES = {
    "moved": lambda e: setattr(e.pickup_stops[0], "departs_at", e.starts_at - timedelta(hours=2)),
    "renamed": lambda e: setattr(e.pickup_stops[0], "place", "Pļaviņas, autoosta"),
    "added": lambda e: e.pickup_stops.append(
        PickupStop(position=3, place="Skrīveri", departs_at=e.starts_at)
    ),
    "removed": lambda e: e.pickup_stops.pop(0),
    "deleted": lambda e: db.session.delete(e.pickup_stops[1]),
}


@pytest.mark.parametrize("change", STOP_CHANGES.values(), ids=STOP_CHANGES.keys())
def test_a_change_to_the_pickup_stops_raises_sequence(trip, clock, change):
    sequence = trip.sequence
    clock.advance(minutes=1)
    change(trip)
    db.session.commit()
    trip = reload(trip)
    assert trip.sequence == sequence + 1
    assert trip.updated_at == clock.now


def test_a_stop_note_changes_the_event_but_not_its_sequence(trip, clock):
    sequence = trip.sequence
    clock.advance(minutes=1)
    trip.pickup_stops[0].note = "Pie veikala"
    db.session.commit()
    trip = reload(trip)
    assert (trip.sequence, trip.updated_at) == (sequence, clock.now)


PROGRAMME_CHANGES = {
    "edited": lambda e: setattr(e.programme[0], "description", "Pusdienas"),
    "added": lambda e: e.programme.append(ProgrammeItem(position=2, description="Atpakaļ")),
    "removed": lambda e: e.programme.pop(0),
}


@pytest.mark.parametrize("change", PROGRAMME_CHANGES.values(), ids=PROGRAMME_CHANGES.keys())
def test_a_programme_change_dates_the_event_so_feeds_change(client, trip, clock, change):
    first = client.get("/kalendars/visi.ics")
    sequence = trip.sequence
    clock.advance(minutes=1)
    change(trip)
    db.session.commit()
    trip = reload(trip)
    assert trip.sequence == sequence
    assert trip.updated_at == clock.now
    again = client.get("/kalendars/visi.ics", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200
