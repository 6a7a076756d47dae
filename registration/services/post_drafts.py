"""A new post started from an event: an invitation before it, a report after it.

The organiser gets the event's title, date, place and link written out, and edits from
there; nothing is published until they publish it.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from ..extensions import db
from ..i18n import clock, long_date, weekday
from ..models import Event
from ..timeutil import now_utc
from ..urls import external_url
from .posts import PostDetails

INVITATION = "invitation"
REPORT = "report"
KINDS = (INVITATION, REPORT)

#: Events offered for linking in the post form: from this far back on, and all later ones.
LINKABLE_SINCE = timedelta(days=400)


def _where(event: Event) -> str:
    if event.is_online:
        return _("online")
    parts = [part for part in (event.venue_name, event.venue_address) if part]
    if len(parts) == 2 and parts[0] == parts[1]:
        parts.pop()
    return ", ".join(parts)


def draft_from_event(event: Event, kind: str) -> PostDetails:
    """The post form's first content for an invitation to, or a report on, `event`."""
    url = external_url("public.event_detail", slug=event.slug)
    when = f"{weekday(event.starts_at)}, {long_date(event.starts_at)}, {clock(event.starts_at)}"
    if kind == INVITATION:
        title = _("Join us: %(title)s", title=event.title)
        facts = (
            _("**When:** %(when)s", when=when)
            + "  \n"
            + _("**Where:** %(where)s", where=_where(event))
        )
        link = _("[Sign up on the event page](%(url)s)", url=url)
        body = "\n\n".join(part for part in (event.summary, facts, event.description, link) if part)
        lead = event.summary
    else:
        title = _("How it went: %(title)s", title=event.title)
        body = "\n\n".join(
            [
                _(
                    "%(title)s took place on %(date)s (%(where)s).",
                    title=event.title,
                    date=long_date(event.starts_at),
                    where=_where(event),
                ),
                _("[About the event](%(url)s)", url=url),
            ]
        )
        lead = ""
    return PostDetails(
        title=title[:200],
        lead=lead,
        body=body,
        project_id=event.project_id,
        event_ids=[event.id],
    )


def events_to_link(linked: list[int]) -> list[Event]:
    """Events a post may be about: recent and coming ones, plus those already linked."""
    since = now_utc() - LINKABLE_SINCE
    query = (
        sa.select(Event)
        .where(sa.or_(Event.starts_at >= since, Event.id.in_(linked or [0])))
        .order_by(Event.starts_at.desc(), Event.id.desc())
    )
    return list(db.session.scalars(query))
