"""What the calendar includes in templates call: feed addresses and one-click links."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app, url_for

from ..i18n import current_language
from ..models import EventKind
from ..places import place_by_slug, slugify
from ..urls import external_url
from . import ics


@dataclass(frozen=True)
class Feed:
    """One subscribable feed, in the forms a page offers it."""

    title: str
    #: Path on this site, for <link rel="alternate"> in the page head.
    path: str
    #: Absolute address (PUBLIC_BASE_URL) to paste into a calendar app.
    url: str
    #: The same address as webcal://, which calendar apps open as a subscription.
    webcal: str


def calendar_feed(kind: EventKind | str | None = None, place: str | None = None) -> Feed | None:
    """The feed of all events, of one kind or of one place; None for an unknown kind or place."""
    values: dict[str, str] = {}
    if current_language() != current_app.config["BABEL_DEFAULT_LOCALE"]:
        values["lang"] = current_language()
    if kind is not None:
        try:
            kind = EventKind(kind)
        except ValueError:
            return None
        endpoint, values["kind"] = "calendar.kind_feed", kind.value
    elif place is not None:
        if place_by_slug(slugify(place)) != place:
            return None
        endpoint, values["place_slug"] = "calendar.place_feed", slugify(place)
    else:
        endpoint = "calendar.all_events_feed"
    url = external_url(endpoint, **values)
    return Feed(
        title=ics.feed_name(kind, place),
        path=url_for(endpoint, **values),
        url=url,
        webcal="webcal://" + url.split("://", 1)[1],
    )


def init_app(app: Flask) -> None:
    app.add_template_global(calendar_feed)
    app.add_template_global(ics.google_calendar_url)
    app.add_template_global(ics.outlook_calendar_url)
