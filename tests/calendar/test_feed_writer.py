"""A feed is written from plain rows read in a few queries, an event's own file from the loaded
event: both must say the same of every event, octet for octet, however awkward its text, and
independent parsers must read it back exactly."""

from __future__ import annotations

from datetime import timedelta

import pytest

from registration.calendar import ics
from registration.extensions import db
from registration.models import EventKind, EventStatus, ProgrammeItem

from .parsing import both, parse

FEED = "/kalendars/visi.ics"

TRICKY_TEXTS = {
    "latvian letters": "Ģimeņu diena Ķegumā: čakli šūpuļi, žļaugas, ūdensrozes un ĀĒĪŌŪ",
    "commas and semicolons": "Seminārs; diskusija, kafija;; ,, \\; \\, \\\\N C:\\Nauda",
    "line breaks": "Pirmā rinda\nOtrā rinda\r\nTrešā\rCeturtā\n\nPēc tukšas rindas",
    "long lines": "Ļoti gara rinda ar 🚌 un — domuzīmēm, komatiem; semikoliem ā. " * 9,
}


def _tricky_events(make_event, make_project):
    project = make_project(funding_line="Finansējums: programma „NVO fonds”; 100 %, paldies")
    events = {}
    for shift, (name, text) in enumerate(TRICKY_TEXTS.items()):
        # Each shifted by a character more, so folds land at different places in the text.
        events[name] = make_event(
            title=("x" * shift + text)[:200],
            summary="",
            description="x" * shift + text,
            venue_name=text[:200],
            venue_address="Skrīveri, Daugavas iela 1",
            practical_info=text,
            project=project,
        )
    trip = make_event(
        commit=False,
        kind=EventKind.STUDY_TRIP,
        title="Brauciens uz Sēliju; pieredze, ļaudis",
        stops=[("Pļaviņas, autoosta", 45), ("Aizkraukle; stacija", 20)],
    )
    trip.programme.append(
        ProgrammeItem(
            position=1,
            starts_at=trip.starts_at + timedelta(hours=1),
            place="Aknīste, muzejs",
            description="Tikšanās; kafija, sarunas",
        )
    )
    trip.programme.append(ProgrammeItem(position=2, place="", description="Pusdienas\nbez laika"))
    db.session.commit()
    events["trip"] = trip
    events["cancelled"] = make_event(
        status=EventStatus.CANCELLED, cancellation_reason="Slimība; atvainojamies, ļoti"
    )
    events["online"] = make_event(is_online=True, online_url="https://meet.example.org/slepens")
    return events


def _vevent_blocks(raw: bytes) -> dict[str, bytes]:
    """Each VEVENT of a file as it was written (folded), by UID."""
    blocks = {}
    for part in raw.split(b"BEGIN:VEVENT\r\n")[1:]:
        block = b"BEGIN:VEVENT\r\n" + part.split(b"END:VEVENT\r\n")[0] + b"END:VEVENT\r\n"
        unfolded = block.replace(b"\r\n ", b"").decode("utf-8")
        uid = next(line[4:] for line in unfolded.split("\r\n") if line.startswith("UID:"))
        blocks[uid] = block
    return blocks


def test_the_feed_writes_each_event_as_its_own_file_does(client, make_event, make_project):
    events = _tricky_events(make_event, make_project)
    in_feed = _vevent_blocks(client.get(FEED).data)
    assert set(in_feed) == {event.uid for event in events.values()}
    for name, event in events.items():
        own = client.get(f"/kalendars/notikums/{event.id}.ics").data
        assert in_feed[event.uid] == _vevent_blocks(own)[event.uid], name


def test_the_feed_writes_what_icalendar_writes_from_the_loaded_events(
    client, make_event, make_project
):
    events = _tricky_events(make_event, make_project)
    in_feed = _vevent_blocks(client.get(FEED).data)
    with client.application.test_request_context():
        for name, event in events.items():
            by_icalendar = [
                str(line) for line in ics.public_vevent(event).component().content_lines() if line
            ]
            unfolded = in_feed[event.uid].replace(b"\r\n ", b"").decode("utf-8")
            assert unfolded.split("\r\n")[:-1] == by_icalendar, name


@pytest.mark.parametrize("name", TRICKY_TEXTS)
def test_tricky_text_in_a_feed_is_folded_whole_and_reads_back_exactly(
    client, make_event, make_project, name
):
    events = _tricky_events(make_event, make_project)
    raw = client.get(FEED).data
    lines = raw[:-2].split(b"\r\n")
    assert max(len(line) for line in lines) <= 75
    for line in lines:
        line.decode("utf-8")  # raises if a fold cut a character in two
    event = events[name]
    text = ics.clean_text(TRICKY_TEXTS[name])
    shift = list(TRICKY_TEXTS).index(name)
    seen = both(parse(raw), event.uid)
    assert seen.summary == ("x" * shift + text)[:200]
    assert seen.description.startswith("x" * shift + text + "\n\n" + text + "\n\n")
    assert seen.description.endswith("„NVO fonds”; 100 %, paldies")
    assert seen.location == f"{text[:200]}, Skrīveri, Daugavas iela 1"
    assert seen.url == f"http://localhost/notikumi/{event.slug}"


def test_a_trip_s_departures_and_programme_read_back_in_order(client, make_event, make_project):
    trip = _tricky_events(make_event, make_project)["trip"]
    seen = both(parse(client.get(FEED).data), trip.uid)
    # Ten o'clock in Riga; the bus leaves 45 and 20 minutes before, the first visit at eleven.
    assert "\n09:15 Pļaviņas, autoosta\n09:40 Aizkraukle; stacija\n\n" in seen.description
    assert "\n11:00 Aknīste, muzejs — Tikšanās; kafija, sarunas\nPusdienas\nbez laika\n\n" in (
        seen.description
    )


def test_an_online_event_s_join_link_stays_out_of_the_feed(client, make_event, make_project):
    _tricky_events(make_event, make_project)
    assert b"slepens" not in client.get(FEED).data
