"""What every calendar file must get right, whoever reads it: RFC 5545 text, time zones, lines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import icalendar
import pytest
import vobject

from registration.calendar import ics, text
from registration.calendar.timezone import offset_changes, vtimezone
from registration.models import EventKind, EventStatus
from registration.timeutil import RIGA

from .parsing import both, parse


def download(client, event) -> bytes:
    response = client.get(f"/kalendars/notikums/{event.id}.ics")
    assert response.status_code == 200
    return response.data


def physical_lines(raw: bytes) -> list[bytes]:
    assert raw.endswith(b"\r\n")
    return raw[:-2].split(b"\r\n")


# --- lines ------------------------------------------------------------------------------------

BUS = "Autobuss 🚌 uz Sēliju — pieredzes apmaiņas brauciens ar ģimenēm, ļaudīm un ķēķiem"


def test_every_line_ends_with_crlf_and_nothing_else(client, make_event):
    event = make_event(title=BUS, description="Pirmā rinda\nOtrā rinda\r\nTrešā\rCeturtā")
    raw = download(client, event)
    assert raw.count(b"\r\n") == raw.count(b"\n") == len(physical_lines(raw))
    assert b"\r" not in raw.replace(b"\r\n", b"")


@pytest.mark.parametrize("shift", range(6))
def test_folding_at_75_octets_never_splits_a_character(client, make_event, shift):
    # Shifting the text by a byte at a time moves every fold across 2-, 3- and 4-byte
    # characters (ā, —, 🚌), so some fold lands where a naive cut would split one.
    text = "x" * shift + (BUS + " ") * 8
    event = make_event(title=BUS[: 150 - shift], summary="", description=text, venue_name=BUS[:120])
    raw = download(client, event)
    lines = physical_lines(raw)
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines), "long values must be folded"
    for line in lines:
        line.decode("utf-8")  # raises if a fold cut a character in two
    seen = both(parse(raw), event.uid)
    assert seen.summary == BUS[: 150 - shift]
    assert seen.description.startswith(text)
    assert seen.location == f"{BUS[:120]}, Skrīveri"


# --- text -------------------------------------------------------------------------------------

AWKWARD_TEXTS = [
    "Seminārs; diskusija, kafija",
    "Ceļš C:\\Nauda\\nav\\Nekur\\",
    "\\;\\,\\\\N;,",
    "Pirmā rinda\nOtrā rinda\n\nTrešā pēc tukšas",
    "ŠĶŪŅĢĻŽČĀĒĪ šķūņģļžčāēī „pēdiņas” – domuzīme … «citas»",
    "Ļoti gara rinda bez pārtraukuma, kurā ir komati; semikoli un \\ slīpsvītras. " * 12,
    "\ttabulācija sākumā un beigās\t",
]


@pytest.mark.parametrize("text", AWKWARD_TEXTS, ids=range(len(AWKWARD_TEXTS)))
def test_awkward_text_round_trips_exactly(client, make_event, text):
    title = text[:200]
    event = make_event(
        title=title,
        summary="",
        description=text,
        venue_name=text[:200],
        venue_address="Skrīveri",
    )
    seen = both(parse(download(client, event)), event.uid)
    assert seen.summary == title
    assert seen.description.split("\n\n" + "Pasākuma lapa: ")[0] == text
    assert seen.location == f"{text[:200]}, Skrīveri"


def test_line_ends_are_normalised_and_control_characters_dropped(client, make_event):
    event = make_event(
        title="Sanāksme\x07 ar\x1b zvanu",  # (PostgreSQL refuses NUL itself)
        summary="",
        description="Windows\r\nrinda\rveca Mac rinda\x0b",
    )
    seen = both(parse(download(client, event)), event.uid)
    assert seen.summary == "Sanāksme ar zvanu"
    assert seen.description.startswith("Windows\nrinda\nveca Mac rinda\n\n")


# --- time -------------------------------------------------------------------------------------


def riga(*args) -> datetime:
    return datetime(*args, tzinfo=RIGA).astimezone(UTC)


DST_EDGES = {
    # The last Sunday of March 2027: at 03:00 (01:00 UTC) clocks go to 04:00.
    "march, during the day": (riga(2027, 3, 28, 10, 0), riga(2027, 3, 28, 12, 0)),
    "march, across the jump": (datetime(2027, 3, 28, 0, 30, tzinfo=UTC), datetime(2027, 3, 28, 1, 30, tzinfo=UTC)),
    "march, the day before": (riga(2027, 3, 27, 10, 0), riga(2027, 3, 27, 12, 0)),
    # The last Sunday of October 2027: at 04:00 (01:00 UTC) clocks go back to 03:00.
    "october, during the day": (riga(2027, 10, 31, 10, 0), riga(2027, 10, 31, 12, 0)),
    "october, into the repeated hour": (datetime(2027, 10, 31, 0, 30, tzinfo=UTC), datetime(2027, 10, 31, 1, 30, tzinfo=UTC)),
    "october, the day before": (riga(2027, 10, 30, 10, 0), riga(2027, 10, 30, 12, 0)),
}  # fmt: skip


@pytest.mark.parametrize(("starts_at", "ends_at"), DST_EDGES.values(), ids=DST_EDGES.keys())
def test_times_on_the_daylight_saving_edges_come_back_exact(client, make_event, starts_at, ends_at):
    event = make_event(starts_at=starts_at, ends_at=ends_at)
    seen = both(parse(download(client, event)), event.uid)
    assert seen.starts_at == starts_at
    assert seen.ends_at == ends_at


def test_riga_wall_clock_with_tzid_is_what_the_file_says(client, make_event):
    event = make_event(starts_at=riga(2027, 3, 28, 10, 0), ends_at=riga(2027, 10, 31, 12, 0))
    raw = download(client, event)
    assert b"\r\nDTSTART;TZID=Europe/Riga:20270328T100000\r\n" in raw
    assert b"\r\nDTEND;TZID=Europe/Riga:20271031T120000\r\n" in raw


def test_a_moment_in_the_repeated_hour_is_written_in_utc(client, make_event):
    # 03:30 on 31 October 2027 happens twice in Riga; the file can only name the second in UTC.
    first, second = (
        datetime(2027, 10, 31, 0, 30, tzinfo=UTC),
        datetime(2027, 10, 31, 1, 30, tzinfo=UTC),
    )
    assert first.astimezone(RIGA).strftime("%H:%M") == second.astimezone(RIGA).strftime("%H:%M")
    raw = download(client, make_event(starts_at=first, ends_at=second))
    assert b"\r\nDTSTART;TZID=Europe/Riga:20271031T033000\r\n" in raw
    assert b"\r\nDTEND:20271031T013000Z\r\n" in raw


def offsets_to_check(years: range) -> list[datetime]:
    """Every 20 minutes for a day around each clock change, and twice a month otherwise."""
    moments = []
    for year in years:
        for change in offset_changes(RIGA, year):
            moments += [change + timedelta(minutes=20 * k) for k in range(-72, 73)]
        for month in range(1, 13):
            moments += [datetime(year, month, day, 12, tzinfo=UTC) for day in (1, 15)]
    return moments


def test_the_vtimezone_matches_the_tz_database(client, make_event):
    event = make_event(starts_at=riga(2027, 3, 28, 10, 0), ends_at=riga(2027, 3, 28, 12, 0))
    parsed = parse(download(client, event))
    (component,) = parsed.ical.walk("VTIMEZONE")
    assert component["TZID"] == "Europe/Riga"
    assert parsed.ical_event(event.uid)["DTSTART"].params["TZID"] == "Europe/Riga"
    # The yearly form Outlook understands, not a list of dates.
    assert b"RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3" in parsed.raw
    assert b"RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10" in parsed.raw
    from_icalendar = component.to_tz(lookup_tzid=False)
    from_vobject = parsed.vcal.vtimezone.gettzinfo()
    for moment in offsets_to_check(range(2026, 2029)):
        expected = moment.astimezone(RIGA).utcoffset()
        assert moment.astimezone(from_icalendar).utcoffset() == expected, moment
        assert moment.astimezone(from_vobject).utcoffset() == expected, moment


def test_years_without_one_rule_fall_back_to_exact_dates(app):
    # Latvia kept summer time in 1999 and 2001 but not in 2000: no yearly rule fits.
    component = vtimezone(1999, 2001)
    assert b"RRULE" not in component.to_ical()
    calendar = icalendar.Calendar()
    calendar.add_component(component)
    from_icalendar = component.to_tz(lookup_tzid=False)
    from_vobject = vobject.readOne(calendar.to_ical().decode()).vtimezone.gettzinfo()
    for moment in offsets_to_check(range(1999, 2002)):
        expected = moment.astimezone(RIGA).utcoffset()
        assert moment.astimezone(from_icalendar).utcoffset() == expected, moment
        assert moment.astimezone(from_vobject).utcoffset() == expected, moment


# --- the calendar itself ----------------------------------------------------------------------


def test_calendar_properties_every_client_needs(client, make_event):
    event = make_event()
    parsed = parse(download(client, event))
    assert parsed.ical["VERSION"] == "2.0"
    assert parsed.ical["CALSCALE"] == "GREGORIAN"
    assert parsed.ical["METHOD"] == "PUBLISH"
    assert "Lauku partnerība" in str(parsed.ical["PRODID"])
    vevent = parsed.ical_event(event.uid)
    for name in ("DTSTAMP", "LAST-MODIFIED", "CREATED"):
        assert vevent.decoded(name).tzinfo is not None, name
    assert vevent.decoded("LAST-MODIFIED") == event.updated_at.replace(microsecond=0)


def test_categories_name_the_kind(client, make_event):
    seminar = make_event(kind=EventKind.SEMINAR)
    trip = make_event(kind=EventKind.STUDY_TRIP)
    assert both(parse(download(client, seminar)), seminar.uid).categories == ["Seminārs"]
    assert both(parse(download(client, trip)), trip.uid).categories == [
        "Pieredzes apmaiņas brauciens"
    ]


# --- the writers ------------------------------------------------------------------------------

WRITER_CASES = {
    "awkward text": {"title": AWKWARD_TEXTS[2], "description": AWKWARD_TEXTS[5]},
    "summer time": {"starts_at": riga(2027, 7, 1, 10, 0), "ends_at": riga(2027, 7, 1, 12, 0)},
    "repeated hour": {
        "starts_at": datetime(2027, 10, 31, 0, 30, tzinfo=UTC),
        "ends_at": datetime(2027, 10, 31, 1, 30, tzinfo=UTC),
    },
    "online": {"is_online": True, "online_url": "https://meet.example.org/x"},
    "no place": {"venue_name": "", "venue_address": ""},
    "cancelled": {"status": EventStatus.CANCELLED, "cancellation_reason": "Slimība; atvainojamies"},
    "trip": {"kind": EventKind.STUDY_TRIP, "stops": [("Pļaviņas, autoosta", 45)]},
}


@pytest.mark.parametrize("fields", WRITER_CASES.values(), ids=WRITER_CASES.keys())
def test_the_direct_writer_writes_what_icalendar_writes(app, make_event, fields):
    # Feeds write VEVENTs directly for speed; icalendar's own serialisation is the reference.
    vevent = ics.public_vevent(make_event(**fields))
    by_icalendar = [str(line) for line in vevent.component().content_lines() if line]
    assert vevent.content_lines() == by_icalendar


@pytest.mark.parametrize("offset", range(8))
@pytest.mark.parametrize("filler", ["\\,", "\\\\", "ā\\n", "🚌\\;"])
def test_folding_keeps_escapes_and_characters_whole(offset, filler):
    line = "DESCRIPTION:" + "a" * offset + filler * 40
    folded = text.fold(line)
    segments = folded.split(b"\r\n ")
    assert b"".join(segments).decode("utf-8") == line
    assert len(segments[0]) <= 75
    assert all(len(segment) <= 74 for segment in segments[1:])
    for segment in segments:
        segment.decode("utf-8")
        trailing = len(segment) - len(segment.rstrip(b"\\"))
        assert trailing % 2 == 0, segment
