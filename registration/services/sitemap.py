"""What the sitemap lists: every public page a search engine should know, with its date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from ..extensions import db
from ..models import Event, Post, Project
from .events import VISIBLE
from .posts import visible
from .projects import PUBLIC_STATUSES


@dataclass(frozen=True)
class Entry:
    endpoint: str
    values: dict
    last_modified: datetime | None


def entries() -> list[Entry]:
    found = [
        Entry("public.index", {}, None),
        Entry("public.news", {}, None),
        Entry("public.project_list", {}, None),
        Entry("public.archive", {}, None),
    ]
    for slug, changed in db.session.execute(
        sa.select(Project.slug, Project.updated_at)
        .where(Project.status.in_(PUBLIC_STATUSES))
        .order_by(Project.id)
    ):
        found.append(Entry("public.project_detail", {"slug": slug}, changed))
    for slug, changed in db.session.execute(
        sa.select(Post.slug, Post.updated_at).where(visible()).order_by(Post.id)
    ):
        found.append(Entry("public.post_detail", {"slug": slug}, changed))
    for slug, changed in db.session.execute(
        sa.select(Event.slug, Event.updated_at).where(Event.status.in_(VISIBLE)).order_by(Event.id)
    ):
        found.append(Entry("public.event_detail", {"slug": slug}, changed))
    return found


def version() -> tuple:
    """Changes whenever an entry could have: the count and latest change of each kind."""
    queries = (
        sa.select(sa.func.count(Project.id), sa.func.max(Project.updated_at)).where(
            Project.status.in_(PUBLIC_STATUSES)
        ),
        sa.select(sa.func.count(Post.id), sa.func.max(Post.updated_at)).where(visible()),
        sa.select(sa.func.count(Event.id), sa.func.max(Event.updated_at)).where(
            Event.status.in_(VISIBLE)
        ),
    )
    return tuple(tuple(db.session.execute(query).one()) for query in queries)
