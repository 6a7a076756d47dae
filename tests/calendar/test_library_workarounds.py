"""What icalendar still gets wrong, which is why the calendar code writes it by hand.

Each test asserts that the library still has the bug. The day one fails, the library has
been fixed: check the fix, remove the workaround named in the test, and remove the test.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import icalendar
from icalendar.prop import vText

from registration.calendar import ics, timezone
from registration.timeutil import RIGA

TITLE = "Ceļš C:\\Nauda"


def test_icalendar_turns_a_backslash_n_into_a_line_break():
    """icalendar 7.x writes a literal backslash before "N" as an escaped line break, so the
    title "Ceļš C:\\Nauda" comes back as "Ceļš C:" and a new line with "auda".

    Workaround: `registration.calendar.ics.Text` and `escape_text` escape TEXT by hand.
    """
    event = icalendar.Event()
    event.add("SUMMARY", TITLE)
    assert vText(TITLE).to_ical() == "Ceļš C:\\nauda".encode()
    read_back = icalendar.Event.from_ical(event.to_ical())
    assert str(read_back["SUMMARY"]) == "Ceļš C:\nauda"


def test_our_text_comes_back_as_typed():
    """The workaround above, read back by icalendar's own parser."""
    event = icalendar.Event()
    event.add("SUMMARY", ics.Text(TITLE))
    assert str(icalendar.Event.from_ical(event.to_ical())["SUMMARY"]) == TITLE


def _onsets_in_utc(vtimezone: icalendar.Timezone) -> list[datetime]:
    """Each observance's first onset as a UTC moment: its DTSTART is the wall-clock time in
    force before the change, i.e. at TZOFFSETFROM (RFC 5545 3.6.5)."""
    moments = []
    for part in vtimezone.walk():
        if part.name in ("STANDARD", "DAYLIGHT"):
            local = part.decoded("DTSTART")
            offset = part.decoded("TZOFFSETFROM")
            moments.append(local - offset)
    return moments


def test_icalendar_writes_the_spring_change_an_hour_late():
    """`icalendar.Timezone.from_tzinfo` writes the spring onset in the new offset's wall
    clock (04:00 instead of 03:00), so a calendar app reading it moves Riga's clocks forward
    at 02:00 UTC instead of 01:00 UTC; the autumn onset is right.

    Workaround: `registration.calendar.timezone` builds the VTIMEZONE from zoneinfo itself.
    """
    written = icalendar.Timezone.from_tzinfo(
        RIGA, tzid="Europe/Riga", first_date=date(2027, 1, 1), last_date=date(2027, 12, 31)
    )
    spring, autumn = (change.replace(tzinfo=None) for change in timezone.offset_changes(RIGA, 2027))
    assert (spring, autumn) == (datetime(2027, 3, 28, 1, 0), datetime(2027, 10, 31, 1, 0))
    onsets = _onsets_in_utc(written)
    assert spring + timedelta(hours=1) in onsets and spring not in onsets
    assert autumn in onsets


def test_our_vtimezone_changes_at_the_right_moments():
    """The workaround above, held to the same measure."""
    ours = timezone.vtimezone(2027, 2027)
    spring, autumn = (change.replace(tzinfo=None) for change in timezone.offset_changes(RIGA, 2027))
    assert {spring, autumn} <= set(_onsets_in_utc(ours))
