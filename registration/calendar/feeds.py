"""Which events a calendar feed holds, and how to tell cheaply whether a feed has changed."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from ..extensions import db
from ..models import Event, EventKind, EventStatus, Organisation, Project
from ..timeutil import now_utc
from .source import CalendarEvent, calendar_events

#: A cancelled event stays in feeds this long after its cancellation, marked STATUS:CANCELLED,
#: so that calendars which already hold it learn of the cancellation and remove it.
CANCELLED_KEPT = timedelta(days=30)

#: Raise when the files change shape, so that clients holding an old ETag get the new file.
FORMAT_VERSION = "1"


@dataclass(frozen=True)
class FeedFilter:
    """All published events, or those of one kind, or those in one place."""

    kind: EventKind | None = None
    place: str | None = None

    def scope(self) -> list[sa.ColumnElement[bool]]:
        conditions = []
        if self.kind is not None:
            conditions.append(Event.kind == self.kind)
        if self.place is not None:
            conditions.append(Event.place == self.place)
        return conditions


def _cancelled_at() -> sa.ColumnElement[datetime]:
    # An event cancelled before `cancelled_at` was kept counts from its last change.
    return sa.func.coalesce(Event.cancelled_at, Event.updated_at)


def _in_feed(now: datetime) -> sa.ColumnElement[bool]:
    return sa.or_(
        Event.status == EventStatus.PUBLISHED,
        sa.and_(Event.status == EventStatus.CANCELLED, _cancelled_at() > now - CANCELLED_KEPT),
    )


def feed_events(feed: FeedFilter) -> list[CalendarEvent]:
    """The events of a feed, soonest first, with what their descriptions need loaded."""
    return calendar_events([_in_feed(now_utc()), *feed.scope()])


def calendar_version() -> tuple:
    """Changes whenever anything a calendar file shows changes on any event, or an event is
    added or deleted, or a project's funding line or logo or the organisation's name
    changes; not when only seats are taken (one small query)."""
    row = db.session.execute(
        sa.select(
            sa.select(sa.func.count(Event.id)).scalar_subquery(),
            sa.select(sa.func.max(Event.calendar_changed_at)).scalar_subquery(),
            sa.select(sa.func.max(Project.updated_at)).scalar_subquery(),
            sa.select(sa.func.max(Organisation.updated_at)).scalar_subquery(),
        )
    ).one()
    return tuple(row)


def version_tag(*parts: object) -> str:
    digest = hashlib.sha256(repr((FORMAT_VERSION, *parts)).encode("utf-8"))
    return digest.hexdigest()[:32]


@dataclass(frozen=True)
class FeedContents:
    """A feed's events, and what its ETag and Last-Modified are made of."""

    events: list[CalendarEvent]
    etag: str
    last_modified: datetime | None
    #: When the feed changes by itself (a cancelled event leaves it), or None.
    next_change: datetime | None


def feed_contents(feed: FeedFilter, *context: object) -> FeedContents:
    """The events of a feed with its version.

    The ETag covers which events are in the feed and each one's last calendar change (plus
    `context`: language and settings that appear in the file). Last-Modified is the latest of
    those changes, or the moment a cancelled event left the feed, whichever is later.
    """
    now = now_utc()
    events = feed_events(feed)
    left = db.session.scalar(
        sa.select(sa.func.max(_cancelled_at())).where(
            Event.status == EventStatus.CANCELLED,
            _cancelled_at() <= now - CANCELLED_KEPT,
            *feed.scope(),
        )
    )
    moments = [e.calendar_changed_at for e in events]
    if left is not None:
        moments.append(left + CANCELLED_KEPT)
    leaving = [(e.cancelled_at or e.updated_at) + CANCELLED_KEPT for e in events if e.is_cancelled]
    etag = version_tag(
        feed.kind,
        feed.place,
        context,
        [(e.id, e.sequence, e.calendar_changed_at) for e in events],
    )
    return FeedContents(
        events=events,
        etag=etag,
        last_modified=max(moments, default=None),
        next_change=min(leaving, default=None),
    )
