"""Read served calendar files with two independent parsers, icalendar and vobject."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import icalendar
import vobject


@dataclass
class Parsed:
    """One calendar file as both parsers see it."""

    raw: bytes
    ical: icalendar.Calendar
    vcal: vobject.base.Component

    def ical_event(self, uid: str) -> icalendar.Event:
        matches = [e for e in self.ical.walk("VEVENT") if str(e["UID"]) == uid]
        assert len(matches) == 1, f"{len(matches)} VEVENTs with UID {uid}"
        return matches[0]

    def vobject_event(self, uid: str):
        matches = [e for e in self.vcal.contents.get("vevent", []) if e.uid.value == uid]
        assert len(matches) == 1, f"{len(matches)} VEVENTs with UID {uid}"
        return matches[0]

    def uids(self) -> list[str]:
        from_ical = [str(e["UID"]) for e in self.ical.walk("VEVENT")]
        from_vobject = [e.uid.value for e in self.vcal.contents.get("vevent", [])]
        assert from_ical == from_vobject
        return from_ical


def parse(raw: bytes) -> Parsed:
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n")
    assert raw.endswith(b"END:VCALENDAR\r\n")
    return Parsed(raw, icalendar.Calendar.from_ical(raw), vobject.readOne(raw.decode("utf-8")))


def in_utc(value: datetime) -> datetime:
    assert value.tzinfo is not None, "a calendar time without a zone is floating, not allowed"
    return value.astimezone(UTC)


@dataclass
class Seen:
    """The values of one VEVENT both parsers agree on."""

    uid: str
    summary: str
    description: str
    location: str | None
    url: str
    status: str
    sequence: int
    starts_at: datetime
    ends_at: datetime
    categories: list[str]


def both(parsed: Parsed, uid: str) -> Seen:
    """Read one event with both parsers, check they agree, and return the values."""
    ical = parsed.ical_event(uid)
    vev = parsed.vobject_event(uid)
    from_ical = Seen(
        uid=str(ical["UID"]),
        summary=str(ical["SUMMARY"]),
        description=str(ical["DESCRIPTION"]),
        location=str(ical["LOCATION"]) if "LOCATION" in ical else None,
        url=str(ical["URL"]),
        status=str(ical["STATUS"]),
        sequence=int(ical["SEQUENCE"]),
        starts_at=in_utc(ical.DTSTART),
        ends_at=in_utc(ical.DTEND),
        categories=[str(c) for c in ical["CATEGORIES"].cats],
    )
    from_vobject = Seen(
        uid=vev.uid.value,
        summary=vev.summary.value,
        description=vev.description.value,
        location=vev.location.value if hasattr(vev, "location") else None,
        url=vev.url.value,
        status=vev.status.value,
        sequence=int(vev.sequence.value),
        starts_at=in_utc(vev.dtstart.value),
        ends_at=in_utc(vev.dtend.value),
        categories=list(vev.categories.value),
    )
    assert from_ical == from_vobject
    return from_ical
