"""Calendar files (RFC 5545) for events: one event, a participant's own copy, and feeds.

Pure builders: they need the app (for configuration and absolute links) but no request, so the
mail worker can attach a personal file to a confirmation. Text comes out in the language of the
request, of `language=` when given, and otherwise in the default language.

What a reader of the public file or a feed can learn is what the public event page shows:
the join link of an online event and anything about a participant appear only in
`personal_calendar`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from urllib.parse import quote, urlencode

import icalendar
from flask import current_app, has_request_context
from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l
from icalendar.prop import vDuration, vText

from ..i18n import current_language
from ..models import Event, EventKind, Registration, RegistrationStatus
from ..timeutil import RIGA, now_utc, to_riga
from ..urls import external_url
from . import timezone

#: How often subscribed calendars should ask for changes (REFRESH-INTERVAL, X-PUBLISHED-TTL).
REFRESH_INTERVAL = timedelta(hours=1)

#: CATEGORIES of an event, by kind.
KIND_CATEGORY = {
    EventKind.THINK_TANK: _l("Think tank"),
    EventKind.SEMINAR: _l("Seminar"),
    EventKind.STUDY_TRIP: _l("Study trip"),
    EventKind.CONFERENCE: _l("Conference"),
    EventKind.OTHER: _l("Event"),
}

#: What a feed of one kind is called.
KIND_FEED = {
    EventKind.THINK_TANK: _l("Think tanks"),
    EventKind.SEMINAR: _l("Seminars"),
    EventKind.STUDY_TRIP: _l("Study trips"),
    EventKind.CONFERENCE: _l("Conferences"),
    EventKind.OTHER: _l("Other events"),
}

GOOGLE_CALENDAR = "https://calendar.google.com/calendar/render"
OUTLOOK_CALENDAR = "https://outlook.live.com/calendar/0/deeplink/compose"

# Control characters are not allowed in TEXT (RFC 5545 3.3.11); tab and line feed are.
_CONTROL_CHARACTERS = {code: None for code in (*range(0, 9), *range(11, 32), 127)}


def clean_text(value: str | None) -> str:
    """Text as it goes into a calendar: line ends made "\\n", other control characters gone."""
    if not value:
        return ""
    return value.replace("\r\n", "\n").replace("\r", "\n").translate(_CONTROL_CHARACTERS)


def escape_text(value: str) -> str:
    """RFC 5545 TEXT escaping of backslash, semicolon, comma and line breaks."""
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


class Text(vText):
    """A TEXT value escaped exactly by RFC 5545.

    icalendar 7.3 reads a literal backslash followed by "N" as a line break when writing, so a
    title such as "C:\\Nauda" would not come back as it was; this class escapes it properly.
    """

    __slots__ = ()

    def to_ical(self) -> bytes:
        return escape_text(self).encode("utf-8")


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
        calendar.add_component(_public_component(event))
        return calendar.to_ical()


def personal_calendar(registration: Registration, *, language: str | None = None) -> bytes:
    """A participant's own copy of the event, in their language.

    Same UID as the public file. For a study trip it starts when their bus leaves their pickup
    stop (if that is before the event's start) and names the stop as the location; for an
    online event it carries the join link. The description links to their private manage page.
    A cancelled registration is STATUS:CANCELLED, a place on the waiting list TENTATIVE.
    """
    from ..services.tokens import manage_token  # the booking area owns tokens

    event = registration.event
    with _language(language or registration.language):
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
                    time=to_riga(stop.departs_at).strftime("%H:%M"),
                )
            )
        join_url = event.online_url if event.is_online else None
        if join_url:
            notes.append(gettext("Join online: %(url)s", url=join_url))
        manage_url = external_url("public.manage", token=manage_token(registration))
        notes.append(gettext("Your registration (to change or cancel it): %(url)s", url=manage_url))

        if stop is not None:
            location = stop.place
        elif join_url:
            location = join_url
        else:
            location = public_location(event)
        if registration.status is RegistrationStatus.CANCELLED or event.is_cancelled:
            status = "CANCELLED"
        elif registration.status is RegistrationStatus.WAITLISTED:
            status = "TENTATIVE"
        else:
            status = "CONFIRMED"
        starts_at = min(event.starts_at, stop.departs_at) if stop is not None else event.starts_at

        component = _event_component(
            event,
            starts_at=starts_at,
            location=location,
            description="\n\n".join([*notes, public_description(event)]),
            status=status,
            stamp=max(_stamp(event.updated_at), _stamp(registration.updated_at)),
        )
        if join_url:
            component.add(
                "CONFERENCE",
                join_url,
                parameters={"VALUE": "URI", "FEATURE": "VIDEO", "LABEL": gettext("Join online")},
            )
        calendar = _calendar()
        calendar.add_component(timezone.covering([starts_at, event.ends_at]))
        calendar.add_component(component)
        return calendar.to_ical()


def feed_calendar(events: Iterable[Event], name: str, *, language: str | None = None) -> bytes:
    """A subscribable calendar of `events` (public files only) called `name`."""
    events = list(events)
    with _language(language):
        calendar = _calendar()
        calendar.add("NAME", _text(name))
        calendar.add("X-WR-CALNAME", _text(name))
        calendar.add("X-WR-TIMEZONE", timezone.TZID)
        calendar.add("REFRESH-INTERVAL", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
        calendar.add("X-PUBLISHED-TTL", vDuration(REFRESH_INTERVAL))
        calendar.add("URL", external_url("public.index"))
        moments = [moment for event in events for moment in (event.starts_at, event.ends_at)]
        calendar.add_component(timezone.covering(moments))
        labels = _Labels()
        for event in events:
            calendar.add_component(_public_component(event, labels))
        return calendar.to_ical()


def feed_name(kind: EventKind | None = None, place: str | None = None) -> str:
    """What a feed is called in people's calendar apps."""
    organisation = current_app.config["ORGANISATION_NAME"]
    if kind is not None:
        return gettext(
            "%(organisation)s: %(kind)s", organisation=organisation, kind=KIND_FEED[kind]
        )
    if place is not None:
        return gettext(
            "%(organisation)s: events in %(place)s", organisation=organisation, place=place
        )
    return gettext("%(organisation)s: all events", organisation=organisation)


# --- one-click links --------------------------------------------------------------------------


def google_calendar_url(event: Event) -> str:
    """A link that opens Google Calendar with the event filled in (times in UTC)."""
    params = {
        "action": "TEMPLATE",
        "text": clean_text(event.title),
        "dates": f"{_compact_utc(event.starts_at)}/{_compact_utc(event.ends_at)}",
        "details": _short_details(event),
        "location": public_location(event),
        "ctz": timezone.TZID,
    }
    return f"{GOOGLE_CALENDAR}?{urlencode(params, quote_via=quote)}"


def outlook_calendar_url(event: Event) -> str:
    """A link that opens Outlook.com with the event filled in (times in UTC)."""
    params = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": clean_text(event.title),
        "startdt": _iso_utc(event.starts_at),
        "enddt": _iso_utc(event.ends_at),
        "body": _short_details(event),
        "location": public_location(event),
    }
    return f"{OUTLOOK_CALENDAR}?{urlencode(params, quote_via=quote)}"


# --- pieces -----------------------------------------------------------------------------------


def public_location(event: Event) -> str:
    """Where the event happens, as the public page says it (never a join link)."""
    if event.is_online:
        return gettext("Online")
    parts = [clean_text(event.venue_name), clean_text(event.venue_address)]
    parts = [part for part in parts if part]
    if len(parts) == 2 and parts[0] == parts[1]:
        parts.pop()
    return ", ".join(parts)


def public_description(event: Event) -> str:
    """The description every public copy carries: the texts, the trip's day, the page link."""
    return _public_description(event, _Labels())


class _Labels:
    """Translated words a feed uses many times, looked up once per file."""

    def __init__(self) -> None:
        self.language = current_language()
        self.cancelled = gettext("This event has been cancelled.")
        self.departures = gettext("Departures:")
        self.programme = gettext("Programme:")
        self.categories = {kind: str(label) for kind, label in KIND_CATEGORY.items()}
        self.online = gettext("Online")

    def page(self, url: str) -> str:
        return gettext("Event page: %(url)s", url=url)


def _public_description(event: Event, labels: _Labels) -> str:
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
    parts.append(labels.page(_page_url(event)))
    return "\n\n".join(clean_text(part) for part in parts if part and part.strip())


def _public_component(event: Event, labels: _Labels | None = None) -> icalendar.Event:
    labels = labels or _Labels()
    return _event_component(
        event,
        starts_at=event.starts_at,
        location=labels.online if event.is_online else public_location(event),
        description=_public_description(event, labels),
        status="CANCELLED" if event.is_cancelled else "CONFIRMED",
        stamp=_stamp(event.updated_at),
        category=labels.categories[event.kind],
    )


def _event_component(
    event: Event,
    *,
    starts_at: datetime,
    location: str,
    description: str,
    status: str,
    stamp: datetime,
    category: str | None = None,
) -> icalendar.Event:
    component = icalendar.Event()
    component.add("UID", event.uid)
    component.add("DTSTAMP", stamp)
    component.add("CREATED", _stamp(event.created_at))
    component.add("LAST-MODIFIED", _stamp(event.updated_at))
    component.add("SEQUENCE", event.sequence)
    _add_time(component, "DTSTART", starts_at)
    _add_time(component, "DTEND", event.ends_at)
    component.add("SUMMARY", _text(event.title))
    component.add("DESCRIPTION", _text(description))
    if location:
        component.add("LOCATION", _text(location))
    component.add("URL", _page_url(event))
    component.add("STATUS", status)
    component.add("CATEGORIES", [category or str(KIND_CATEGORY[event.kind])])
    return component


def _calendar() -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    organisation = current_app.config["ORGANISATION_NAME"]
    calendar.add("PRODID", _text(f"-//{organisation}//Notikumi//{current_language().upper()}"))
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    calendar.add("METHOD", "PUBLISH")
    return calendar


def _add_time(component: icalendar.Event, name: str, moment: datetime) -> None:
    """A time as Riga wall clock with TZID; in UTC when the wall clock is ambiguous.

    In the hour repeated when summer time ends, a Riga wall-clock time means its first
    occurrence (RFC 5545 3.3.5), so a moment in the second one can only be written in UTC.
    """
    local = moment.astimezone(RIGA)
    if local.fold:
        component.add(name, moment.astimezone(UTC))
    else:
        component.add(name, local.replace(tzinfo=None), parameters={"TZID": timezone.TZID})


def _stamp(moment: datetime | None) -> datetime:
    return (moment or now_utc()).astimezone(UTC).replace(microsecond=0)


def _page_url(event: Event) -> str:
    return external_url("public.event_detail", slug=event.slug)


def _clock(moment: datetime) -> str:
    return to_riga(moment).strftime("%H:%M")


def _compact_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _iso_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _short_details(event: Event) -> str:
    """A short description for the one-click links (long URLs break in some browsers)."""
    return "\n\n".join(filter(None, [clean_text(event.summary), _labels_page(event)]))


def _labels_page(event: Event) -> str:
    return gettext("Event page: %(url)s", url=_page_url(event))
