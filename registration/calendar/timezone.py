"""The VTIMEZONE for Europe/Riga, derived from the tz database and written the way Outlook reads.

Calendar files give times as `DTSTART;TZID=Europe/Riga:…` and must carry a VTIMEZONE that
says what that means. Outlook ignores VTIMEZONEs made of RDATE lists (what
`icalendar.Timezone.from_tzinfo` writes) and shifts events by an hour, so when the zone follows
one yearly rule over the years a calendar covers (Riga: the EU rule, last Sundays of March and
October), we write it as two observances with a yearly RRULE. The rule is read from zoneinfo,
never typed in, so a tzdata update (say, the EU ending clock changes) changes the file too.
When the years do not follow one rule (Riga skipped summer time in 2000), every change is
listed with its date instead. (Not `icalendar.Timezone.from_tzinfo`: as of icalendar 7.3 it
writes the spring onsets in the new offset's wall clock, an hour late.)
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import lru_cache
from typing import NamedTuple

import icalendar

from ..timeutil import RIGA, now_utc

TZID = "Europe/Riga"


class Onset(NamedTuple):
    """One change of UTC offset, described the way an RRULE would name it."""

    month: int
    weekday: int  #: 0 = Monday
    week: int  #: 1..4 counted from the month's start, or -1 for the last such weekday
    wall_clock: tuple[int, int, int]  #: local time (before the change) when it happens
    offset_from: timedelta
    offset_to: timedelta
    name: str
    is_dst: bool


def _offset(zone: tzinfo, moment: datetime) -> timedelta:
    return moment.astimezone(zone).utcoffset() or timedelta(0)


def offset_changes(zone: tzinfo, year: int) -> list[datetime]:
    """The UTC moments in `year` at which the zone's offset changes (to the second)."""
    changes = []
    day = datetime(year, 1, 1, tzinfo=UTC)
    end = datetime(year + 1, 1, 1, tzinfo=UTC)
    while day < end:
        following = day + timedelta(days=1)
        if _offset(zone, day) != _offset(zone, following):
            low, high = day, following  # the offset at `low` is the old one, at `high` the new
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                if _offset(zone, middle) == _offset(zone, low):
                    low = middle
                else:
                    high = middle
            changes.append(high.replace(microsecond=0))
        day = following
    return changes


def _describe(zone: tzinfo, change: datetime, last: bool) -> Onset:
    before = _offset(zone, change - timedelta(seconds=1))
    after_local = change.astimezone(zone)
    wall = (change + before).replace(tzinfo=None)
    days_in_month = calendar.monthrange(wall.year, wall.month)[1]
    is_last = wall.day + 7 > days_in_month
    week = -1 if last and is_last else (wall.day - 1) // 7 + 1
    return Onset(
        month=wall.month,
        weekday=wall.weekday(),
        week=week,
        wall_clock=(wall.hour, wall.minute, wall.second),
        offset_from=before,
        offset_to=after_local.utcoffset() or timedelta(0),
        name=after_local.tzname() or "",
        is_dst=bool(after_local.dst()),
    )


def yearly_rule(zone: tzinfo, first_year: int, last_year: int) -> list[Onset] | None:
    """The onsets every year from `first_year` to `last_year` shares, or None if they differ.

    A zone without clock changes has no yearly rule either (None).
    """
    for count_from_end in (True, False):
        shared: list[Onset] | None = None
        for year in range(first_year, last_year + 1):
            onsets = [
                _describe(zone, change, count_from_end) for change in offset_changes(zone, year)
            ]
            if not onsets or (shared is not None and onsets != shared):
                shared = None
                break
            shared = onsets
        if shared and all(o.week != 5 for o in shared):
            return shared
    return None


WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _first_occurrence(onset: Onset, year: int) -> datetime:
    """The local wall-clock moment of the onset in `year` (naive, as DTSTART wants it)."""
    days_in_month = calendar.monthrange(year, onset.month)[1]
    if onset.week == -1:
        day = date(year, onset.month, days_in_month)
        day -= timedelta(days=(day.weekday() - onset.weekday) % 7)
    else:
        day = date(year, onset.month, 1)
        day += timedelta(days=(onset.weekday - day.weekday()) % 7 + 7 * (onset.week - 1))
    return datetime(day.year, day.month, day.day, *onset.wall_clock)


def _with_rule(tzid: str, onsets: list[Onset], first_year: int) -> icalendar.Timezone:
    timezone = icalendar.Timezone()
    timezone.add("TZID", tzid)
    timezone.add("X-LIC-LOCATION", tzid)
    for onset in onsets:
        part = icalendar.TimezoneDaylight() if onset.is_dst else icalendar.TimezoneStandard()
        part.add("TZNAME", onset.name)
        part.add("TZOFFSETFROM", onset.offset_from)
        part.add("TZOFFSETTO", onset.offset_to)
        part.add("DTSTART", _first_occurrence(onset, first_year))
        part.add(
            "RRULE",
            {
                "FREQ": "YEARLY",
                "BYMONTH": onset.month,
                "BYDAY": f"{onset.week}{WEEKDAYS[onset.weekday]}",
            },
        )
        timezone.add_component(part)
    return timezone


def _with_dates(tzid: str, zone: tzinfo, first_year: int, last_year: int) -> icalendar.Timezone:
    timezone = icalendar.Timezone()
    timezone.add("TZID", tzid)
    timezone.add("X-LIC-LOCATION", tzid)
    # The offset in force when the window opens, so nothing falls before the first onset.
    opening = datetime(first_year, 1, 1, tzinfo=zone).astimezone(UTC)
    changes = [(opening, _offset(zone, opening))]
    for year in range(first_year, last_year + 1):
        for change in offset_changes(zone, year):
            changes.append((change, _offset(zone, change - timedelta(seconds=1))))
    for change, before in changes:
        local = change.astimezone(zone)
        part = icalendar.TimezoneDaylight() if local.dst() else icalendar.TimezoneStandard()
        part.add("TZNAME", local.tzname() or "")
        part.add("TZOFFSETFROM", before)
        part.add("TZOFFSETTO", local.utcoffset() or timedelta(0))
        # An onset is written in the wall-clock time in force before it (RFC 5545 3.6.5).
        part.add("DTSTART", (change + before).replace(tzinfo=None))
        timezone.add_component(part)
    return timezone


@lru_cache(maxsize=32)
def vtimezone(first_year: int, last_year: int) -> icalendar.Timezone:
    """A VTIMEZONE for Riga correct for every moment from `first_year` to `last_year`.

    Cached: working the rule out takes a few milliseconds, and a feed needs it once.
    Treat the returned component as read-only.
    """
    onsets = yearly_rule(RIGA, first_year, last_year)
    if onsets is not None:
        return _with_rule(TZID, onsets, first_year)
    return _with_dates(TZID, RIGA, first_year, last_year)


def covering(moments: list[datetime]) -> icalendar.Timezone:
    """The VTIMEZONE for a calendar whose times are `moments` (with a year's margin)."""
    years = [m.astimezone(RIGA).year for m in moments] or [now_utc().year]
    return vtimezone(min(years) - 1, max(years) + 1)
