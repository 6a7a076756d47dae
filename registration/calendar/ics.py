"""Calendar files (RFC 5545) for events: one event, a participant's own copy, and feeds.

Pure builders: they need the app (for configuration and absolute links) but no request, so the
mail worker can attach a personal file to a confirmation. Text comes out in the language of the
request, of `language=` when given, and otherwise in the default language.

What a reader of the public file or a feed can learn is what the public event page shows:
the join link of an online event and anything about a participant appear only in
`personal_calendar`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from urllib.parse import quote, urlencode

import icalendar
from flask import current_app, has_request_context
from flask_babel import force_locale, gettext
from icalendar.prop import vDuration

from ..i18n import current_language
from ..labels import KIND_LABELS, KIND_PLURALS
from ..models import Event, EventKind, Registration, RegistrationStatus
from ..services import organisation
from ..services.policy import calendar_sequence, sees_join_link
from ..timeutil import RIGA, now_utc, to_riga
from ..urls import external_url
from . import timezone
from .source import CalendarEvent
from .text import Text, clean_text, escape_text, fold_octets
from .timezone import TZID

#: How the funder's logo is attached to an event (RFC 7986: a small picture beside it).
_IMAGE_PARAMETERS = {"VALUE": "URI", "DISPLAY": "BADGE"}

#: How often subscribed calendars should ask for changes (REFRESH-INTERVAL, X-PUBLISHED-TTL).
REFRESH_INTERVAL = timedelta(hours=1)

GOOGLE_CALENDAR = "https://calendar.google.com/calendar/render"
OUTLOOK_CALENDAR = "https://outlook.live.com/calendar/0/deeplink/compose"

#: Slugs of these characters appear in a URL as they are (no percent-encoding).
_URL_SAFE = re.compile(r"[A-Za-z0-9._~-]+")


def _text(value: str | None) -> Text:
    return Text(clean_text(value))


@contextmanager
def _language(language: str | None) -> Iterator[None]:
    if language:
        with force_locale(language):
            yield
    elif has_request_context():
        yield
    else:
        with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
            yield


# --- whole files ------------------------------------------------------------------------------


def event_calendar(event: Event, *, language: str | None = None) -> bytes:
    """The public .ics file of one event."""
    with _language(language):
        calendar = _calendar()
        calendar.add_component(timezone.covering([event.starts_at, event.ends_at]))
        return _stream(calendar, [public_vevent(event, _Labels())])


def personal_calendar(
    registration: Registration, manage_url: str, *, language: str | None = None
) -> bytes:
    """A participant's own copy of the event, in their language.

    Same UID as the public file. For a study trip it starts when their bus leaves their pickup
    stop (if that is before the event's start) and names the stop as the location; for an
    online event it carries the join link (`policy.sees_join_link`). The description links to
    their private manage page, `manage_url`. A cancelled registration is STATUS:CANCELLED, a
    place on the waiting list TENTATIVE; its SEQUENCE is `policy.calendar_sequence`, so the
    person's own cancellation replaces the copy they hold.
    """
    event = registration.event
    with _language(language or registration.language):
        public = public_vevent(event, _Labels())
        notes: list[str] = []
        if registration.status is RegistrationStatus.WAITLISTED:
            notes.append(
                gettext("You are on the waiting list. We will write to you if a seat frees up.")
            )
        elif registration.status is RegistrationStatus.CANCELLED:
            notes.append(gettext("Your registration has been cancelled."))
        stop = registration.pickup_stop if event.is_trip else None
        if stop is not None:
            notes.append(
                gettext(
                    "Your pickup stop: %(place)s, departure at %(time)s.",
                    place=clean_text(stop.place),
                    time=_clock(stop.departs_at),
                )
            )
        join_url = event.online_url if sees_join_link(registration) else None
        if join_url:
            notes.append(gettext("Join online: %(url)s", url=join_url))
        notes.append(gettext("Your registration (to change or cancel it): %(url)s", url=manage_url))

        if stop is not None:
            location = clean_text(stop.place)
        elif join_url:
            location = clean_text(join_url)
        else:
            location = public.location
        if registration.status is RegistrationStatus.CANCELLED or event.is_cancelled:
            status = "CANCELLED"
        elif registration.status is RegistrationStatus.WAITLISTED:
            status = "TENTATIVE"
        else:
            status = "CONFIRMED"
        personal = replace(
            public,
            starts_at=min(event.starts_at, stop.departs_at) if stop else event.starts_at,
            location=location,
            description="\n\n".join([*(clean_text(note) for note in notes), public.description]),
            status=status,
            stamp=max(public.stamp, _stamp(registration.updated_at)),
            sequence=calendar_sequence(registration),
        )
        calendar = _calendar()
        calendar.add_component(timezone.covering([personal.starts_at, personal.ends_at]))
        if not join_url:
            # Written directly, as the feeds are (every confirmation carries one).
            return _stream(calendar, [personal])
        component = personal.component()
        component.add(
            "CONFERENCE",
            join_url,
            parameters={"VALUE": "URI", "FEATURE": "VIDEO", "LABEL": gettext("Join online")},
        )
        calendar.add_component(component)
        return _stream(calendar)


def feed_calendar(
    events: Iterable[CalendarEvent], name: str, *, language: str | None = None
) -> bytes:
    """A subscribable calendar of `events` (public files only) called `name`."""
    events = list(events)
    with _language(language):
        calendar = _calendar()
        calendar.add("NAME", _text(name))
        calendar.add("X-WR-CALNAME", _text(name))
        calendar.add("X-WR-TIMEZONE", TZID)
        calendar.add("REFRESH-INTERVAL", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
        calendar.add("X-PUBLISHED-TTL", vDuration(REFRESH_INTERVAL))
        calendar.add("URL", external_url("public.index"))
        moments = [moment for event in events for moment in (event.starts_at, event.ends_at)]
        calendar.add_component(timezone.covering(moments))
        labels = _Labels()
        return _stream(calendar, [public_vevent(event, labels) for event in events])


def feed_name(
    kind: EventKind | None = None, place: str | None = None, *, language: str | None = None
) -> str:
    """What a feed is called in people's calendar apps."""
    name = organisation.details().name
    with _language(language):
        if kind is not None:
            return gettext("%(organisation)s: %(kind)s", organisation=name, kind=KIND_PLURALS[kind])
        if place is not None:
            return gettext("%(organisation)s: events in %(place)s", organisation=name, place=place)
        return gettext("%(organisation)s: all events", organisation=name)


# --- one-click links --------------------------------------------------------------------------


def google_calendar_url(event: Event, *, language: str | None = None) -> str:
    """A link that opens Google Calendar with the event filled in (times in UTC)."""
    with _language(language):
        details, location = _short_details(event), _public_location(event)
    params = {
        "action": "TEMPLATE",
        "text": clean_text(event.title),
        "dates": f"{_compact_utc(event.starts_at)}/{_compact_utc(event.ends_at)}",
        "details": details,
        "location": location,
        "ctz": TZID,
    }
    return f"{GOOGLE_CALENDAR}?{urlencode(params, quote_via=quote)}"


def outlook_calendar_url(event: Event, *, language: str | None = None) -> str:
    """A link that opens Outlook.com with the event filled in (times in UTC)."""
    with _language(language):
        details, location = _short_details(event), _public_location(event)
    params = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": clean_text(event.title),
        "startdt": _iso_utc(event.starts_at),
        "enddt": _iso_utc(event.ends_at),
        "body": details,
        "location": location,
    }
    return f"{OUTLOOK_CALENDAR}?{urlencode(params, quote_via=quote)}"


# --- pieces -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Vevent:
    """What one VEVENT says, as clean text and aware times, ready to be written."""

    uid: str
    stamp: datetime
    created: datetime
    last_modified: datetime
    sequence: int
    starts_at: datetime
    ends_at: datetime
    summary: str
    description: str
    location: str
    url: str
    status: str
    category: str
    #: The funder's logo (RFC 7986 IMAGE), shown with the funding line as funders require.
    image: str = ""

    def component(self) -> icalendar.Event:
        """The VEVENT as an icalendar component (personal files add properties to it)."""
        component = icalendar.Event()
        component.add("UID", self.uid)
        component.add("DTSTAMP", self.stamp)
        component.add("CREATED", self.created)
        component.add("LAST-MODIFIED", self.last_modified)
        component.add("SEQUENCE", self.sequence)
        for name, moment in (("DTSTART", self.starts_at), ("DTEND", self.ends_at)):
            local = moment.astimezone(RIGA)
            if local.fold:
                component.add(name, moment.astimezone(UTC))
            else:
                component.add(name, local.replace(tzinfo=None), parameters={"TZID": TZID})
        component.add("SUMMARY", Text(self.summary))
        component.add("DESCRIPTION", Text(self.description))
        if self.image:
            component.add("IMAGE", self.image, parameters=_IMAGE_PARAMETERS)
        if self.location:
            component.add("LOCATION", Text(self.location))
        component.add("URL", self.url)
        component.add("STATUS", self.status)
        component.add("CATEGORIES", [self.category])
        return component

    def content_lines(self) -> list[str]:
        """The same VEVENT written directly, line for line what `component()` gives.

        Feeds hold hundreds of events and icalendar takes over half a millisecond for each;
        writing these few known properties directly is twenty times faster. A test keeps the
        two writers identical.
        """
        lines = [
            "BEGIN:VEVENT",
            f"SUMMARY:{escape_text(self.summary)}",
            _time_line("DTSTART", self.starts_at),
            _time_line("DTEND", self.ends_at),
            f"DTSTAMP:{_compact_utc(self.stamp)}",
            f"UID:{escape_text(self.uid)}",
            f"SEQUENCE:{self.sequence:d}",
            f"CATEGORIES:{escape_text(self.category)}",
            f"CREATED:{_compact_utc(self.created)}",
            f"DESCRIPTION:{escape_text(self.description)}",
        ]
        if self.image:
            lines.append(f"IMAGE;DISPLAY=BADGE;VALUE=URI:{self.image}")
        lines.append(f"LAST-MODIFIED:{_compact_utc(self.last_modified)}")
        if self.location:
            lines.append(f"LOCATION:{escape_text(self.location)}")
        lines += [f"STATUS:{self.status}", f"URL:{self.url}", "END:VEVENT"]
        return lines


def public_vevent(event: Event | CalendarEvent, labels: _Labels | None = None) -> Vevent:
    """The VEVENT anyone may see: what the public event page says, never a join link.

    `labels` carries the words in the file's language; without it, the request's language (or
    the default one) is used.
    """
    if isinstance(event, Event):
        event = CalendarEvent.of(event)
    if labels is None:
        with _language(None):
            labels = _Labels()
    url = labels.page_url(event.slug)
    changed = _stamp(event.calendar_changed_at)
    return Vevent(
        uid=event.uid,
        stamp=changed,
        created=_stamp(event.created_at),
        last_modified=changed,
        sequence=event.sequence,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        summary=clean_text(event.title),
        description=_public_description(event, labels, url),
        location=labels.online if event.is_online else _public_location(event),
        url=url,
        status="CANCELLED" if event.is_cancelled else "CONFIRMED",
        category=labels.categories[event.kind],
        image=labels.logo_url(event.funder_logo) if event.funder_logo else "",
    )


def _public_location(event: Event | CalendarEvent) -> str:
    """Where the event happens, as the public page says it (never a join link)."""
    if event.is_online:
        return gettext("Online")
    parts = [clean_text(event.venue_name), clean_text(event.venue_address)]
    parts = [part for part in parts if part]
    if len(parts) == 2 and parts[0] == parts[1]:
        parts.pop()
    return ", ".join(parts)


class _Labels:
    """Translated words a feed uses for every event, looked up once per file (and the
    addresses its events share)."""

    def __init__(self) -> None:
        self.cancelled = gettext("This event has been cancelled.")
        self.departures = gettext("Departures:")
        self.programme = gettext("Programme:")
        self.online = gettext("Online")
        self.categories = {kind: str(label) for kind, label in KIND_LABELS.items()}
        self._page = gettext("Event page: %(url)s")
        # Event pages' addresses differ only by slug: built once, not once per event.
        placeholder = "slug"
        address = external_url("public.event_detail", slug=placeholder)
        self._page_url_prefix = address[: -len(placeholder)] if address.endswith("/slug") else ""
        self._logo_urls: dict[str, str] = {}

    def page(self, url: str) -> str:
        return self._page % {"url": url}

    def page_url(self, slug: str) -> str:
        """The event page's address, as `external_url` gives it."""
        if self._page_url_prefix and _URL_SAFE.fullmatch(slug):
            return self._page_url_prefix + slug
        return external_url("public.event_detail", slug=slug)

    def logo_url(self, name: str) -> str:
        """The address of a funder's logo (a feed's events share a few)."""
        if name not in self._logo_urls:
            self._logo_urls[name] = external_url("public.stored_file", name=name)
        return self._logo_urls[name]


def _public_description(event: CalendarEvent, labels: _Labels, url: str) -> str:
    parts: list[str] = []
    if event.is_cancelled:
        parts.append(" ".join(filter(None, [labels.cancelled, event.cancellation_reason.strip()])))
    parts += [event.summary, event.description]
    if event.is_trip and event.pickup_stops:
        lines = [f"{_clock(stop.departs_at)} {stop.place}" for stop in event.pickup_stops]
        parts.append("\n".join([labels.departures, *lines]))
    if event.programme:
        lines = []
        for item in event.programme:
            what = " — ".join(filter(None, [item.place, item.description]))
            lines.append(f"{_clock(item.starts_at)} {what}" if item.starts_at else what)
        parts.append("\n".join([labels.programme, *lines]))
    parts.append(event.practical_info)
    parts.append(labels.page(url))
    # The funder's publicity, on every calendar file of the project's events.
    if event.funding_line:
        parts.append(event.funding_line)
    return "\n\n".join(clean_text(part) for part in parts if part and part.strip())


def _stream(calendar: icalendar.Calendar, vevents: Iterable[Vevent] = ()) -> bytes:
    """The calendar, with `vevents` written in before its end, as CRLF-ended folded lines."""
    lines = [line for line in calendar.content_lines() if line]
    end = lines.pop()  # END:VCALENDAR
    for vevent in vevents:
        lines += vevent.content_lines()
    lines.append(end)
    # Most lines need no fold: encoded and measured here, not in a call each (a feed has 50,000).
    octets = [line.encode("utf-8") for line in lines]
    octets = [data if len(data) <= 75 else fold_octets(data) for data in octets]
    octets.append(b"")
    return b"\r\n".join(octets)


def _calendar() -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    name = organisation.details().name
    calendar.add("PRODID", _text(f"-//{name}//Notikumi//{current_language().upper()}"))
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    calendar.add("METHOD", "PUBLISH")
    return calendar


def _time_line(name: str, moment: datetime) -> str:
    """A time as Riga wall clock with TZID; in UTC when the wall clock is ambiguous.

    In the hour repeated when summer time ends, a Riga wall-clock time means its first
    occurrence (RFC 5545 3.3.5), so a moment in the second one can only be written in UTC.
    """
    local = moment.astimezone(RIGA)
    if local.fold:
        return f"{name}:{_compact_utc(moment)}"
    return f"{name};TZID={TZID}:{_compact(local)}"


def _stamp(moment: datetime | None) -> datetime:
    moment = (moment or now_utc()).astimezone(UTC)
    return moment.replace(microsecond=0) if moment.microsecond else moment


def _page_url(event: Event | CalendarEvent) -> str:
    return external_url("public.event_detail", slug=event.slug)


def _clock(moment: datetime) -> str:
    local = to_riga(moment)
    return f"{local.hour:02d}:{local.minute:02d}"


def _compact_utc(moment: datetime) -> str:
    return _compact(moment.astimezone(UTC)) + "Z"


def _compact(moment: datetime) -> str:
    """The wall-clock time of `moment` as YYYYMMDDTHHMMSS (a feed writes thousands; this is
    faster than strftime)."""
    m = moment
    return f"{m.year:04d}{m.month:02d}{m.day:02d}T{m.hour:02d}{m.minute:02d}{m.second:02d}"


def _iso_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _short_details(event: Event) -> str:
    """A short description for the one-click links (long URLs break in some browsers)."""
    page = gettext("Event page: %(url)s", url=_page_url(event))
    return "\n\n".join(filter(None, [clean_text(event.summary), page]))
