"""News posts: written, scheduled, published and withdrawn by organisers; read by residents.

A post is public once it is published and its date has come: a date in the future schedules
it, and every public list, feed and page asks `visible()` so a scheduled post shows nowhere
before its time. Posts about events link them; the post's page shows each with live seats.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import AuditAction, Event, Organiser, Post, PostStatus, Project
from ..timeutil import now_utc
from . import DomainError, NotFound, audit, unit_of_work, uploads
from .publishing import choose_slug, raise_if, refresh_public_pages

#: Beyond any real list; keeps offsets within the database's integers.
MAX_PAGE = 10_000


@dataclass
class PostDetails:
    """Everything the post form sets (a photo comes separately, as an upload)."""

    title: str
    slug: str = ""
    lead: str = ""
    body: str = ""
    #: The post's date; publishing with a future date schedules it. Empty: when published.
    published_at: datetime | None = None
    project_id: int | None = None
    event_ids: list[int] = field(default_factory=list)
    photo_alt: str = ""


def details_of(post: Post) -> PostDetails:
    return PostDetails(
        title=post.title,
        slug=post.slug,
        lead=post.lead,
        body=post.body,
        published_at=post.published_at,
        project_id=post.project_id,
        event_ids=[event.id for event in post.events],
        photo_alt=post.photo_alt,
    )


def _check(details: PostDetails, has_photo: bool) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not details.title.strip():
        errors["title"] = _("Enter the title.")
    if has_photo and not details.photo_alt.strip():
        errors["photo_alt"] = _("Describe the photo in a few words for people who cannot see it.")
    if details.project_id is not None and db.session.get(Project, details.project_id) is None:
        errors["project_id"] = _("Choose one of the options in the list.")
    return errors


def _events(ids: list[int]) -> list[Event]:
    found = list(db.session.scalars(sa.select(Event).where(Event.id.in_(ids)))) if ids else []
    if len(found) != len(set(ids)):
        raise NotFound(_("This event was not found."))
    return found


def _get(post_id: int, *, lock: bool = False) -> Post:
    query = sa.select(Post).where(Post.id == post_id)
    if lock:
        query = query.with_for_update()
    post = db.session.scalar(query)
    if post is None:
        raise NotFound(_("This post was not found."))
    return post


def get_post(post_id: int) -> Post | None:
    return db.session.get(Post, post_id)


def create_post(
    details: PostDetails, *, photo: uploads.Upload | None = None, actor: Organiser | None
) -> Post:
    """A new draft post."""
    with unit_of_work():
        raise_if(_check(details, photo is not None))
        post = Post(status=PostStatus.DRAFT)
        _fill(post, details)
        post.slug = choose_slug(Post, details.slug, details.title, "jaunums")
        if photo is not None:
            post.photo = uploads.store(photo, uploads.Purpose.PHOTO)
        db.session.add(post)
        refresh_public_pages()
        audit.record(AuditAction.POST_CREATED, actor, subject=post.title)
    return post


def update_post(
    post_id: int,
    details: PostDetails,
    *,
    photo: uploads.Upload | None = None,
    remove_photo: bool = False,
    actor: Organiser | None,
) -> set[str]:
    """Save the form, all of it or nothing; the names of the fields that changed."""
    with unit_of_work():
        post = _get(post_id, lock=True)
        keeps_photo = post.photo is not None and not remove_photo
        raise_if(_check(details, photo is not None or keeps_photo))
        before = details_of(post)
        _fill(post, details)
        post.slug = choose_slug(Post, details.slug or post.slug, details.title, "jaunums", post.id)
        after = details_of(post)
        changed = {name for name in vars(before) if getattr(before, name) != getattr(after, name)}
        if photo is not None or (remove_photo and post.photo is not None):
            old = post.photo
            post.photo = uploads.store(photo, uploads.Purpose.PHOTO) if photo else None
            uploads.discard(old)
            changed.add("photo")
        if changed:
            refresh_public_pages()
            audit.record(
                AuditAction.POST_CHANGED, actor, subject=post.title, fields=sorted(changed)
            )
    return changed


def _fill(post: Post, details: PostDetails) -> None:
    post.title = details.title.strip()
    post.lead = details.lead.strip()
    post.body = details.body.strip()
    post.published_at = details.published_at or (
        post.published_at if post.status is PostStatus.PUBLISHED else None
    )
    post.project_id = details.project_id
    post.photo_alt = details.photo_alt.strip()
    post.events = _events(details.event_ids)


def publish(post_id: int, *, actor: Organiser | None) -> Post:
    """Public from its date (now, if it has none; later, if the date is in the future)."""
    with unit_of_work():
        post = _get(post_id, lock=True)
        if post.status is PostStatus.PUBLISHED:
            raise DomainError(_("The post is already published."))
        if not post.body.strip() and not post.lead.strip():
            raise DomainError(_("Write the post's text before publishing it."))
        post.status = PostStatus.PUBLISHED
        post.published_at = post.published_at or now_utc()
        refresh_public_pages()
        audit.record(
            AuditAction.POST_PUBLISHED,
            actor,
            subject=post.title,
            published_at=post.published_at.isoformat(),
        )
    return post


def unpublish(post_id: int, *, actor: Organiser | None) -> Post:
    """Taken down: its page and its place in lists and feeds are gone until published again."""
    with unit_of_work():
        post = _get(post_id, lock=True)
        if post.status is not PostStatus.PUBLISHED:
            raise DomainError(_("Only a published post can be withdrawn."))
        post.status = PostStatus.UNPUBLISHED
        refresh_public_pages()
        audit.record(AuditAction.POST_UNPUBLISHED, actor, subject=post.title)
    return post


# -- reading --------------------------------------------------------------------------------


def visible(now: datetime | None = None) -> sa.ColumnElement[bool]:
    """The condition every public list uses: published, and its time has come."""
    return sa.and_(Post.status == PostStatus.PUBLISHED, Post.published_at <= (now or now_utc()))


def _newest_first(query):
    return query.order_by(Post.published_at.desc(), Post.id.desc())


def latest(limit: int, *, project_id: int | None = None) -> list[Post]:
    query = _newest_first(sa.select(Post).where(visible())).limit(limit)
    if project_id is not None:
        query = query.where(Post.project_id == project_id)
    return list(db.session.scalars(query.options(selectinload(Post.photo))))


def page_of_posts(page: int, per_page: int) -> tuple[list[Post], bool]:
    """One page of public posts, newest first, and whether an older page exists."""
    query = _newest_first(sa.select(Post).where(visible()))
    query = query.offset((page - 1) * per_page).limit(per_page + 1)
    rows = list(db.session.scalars(query.options(selectinload(Post.photo))))
    return rows[:per_page], len(rows) > per_page


def public_post(slug: str) -> Post | None:
    if not slug or len(slug) > 120 or not slug.isascii():
        return None
    return db.session.scalar(sa.select(Post).where(Post.slug == slug, visible()))


def all_posts() -> list[Post]:
    """Every post for the back office: drafts and scheduled ones first, then newest."""
    order = sa.case((Post.status == PostStatus.DRAFT, 0), else_=1)
    query = sa.select(Post).order_by(order, Post.published_at.desc().nulls_first(), Post.id.desc())
    return list(db.session.scalars(query.options(selectinload(Post.project))))


def posts_about(event_id: int) -> list[Post]:
    """Every post linked to an event (for its back-office page)."""
    query = sa.select(Post).where(Post.events.any(Event.id == event_id)).order_by(Post.id)
    return list(db.session.scalars(query))


def version() -> tuple:
    """Changes when a post changes, is added or deleted, or a scheduled one comes due."""
    now = now_utc()
    row = db.session.execute(
        sa.select(
            sa.func.count(Post.id),
            sa.func.max(Post.updated_at),
            sa.func.count(Post.id).filter(visible(now)),
        )
    ).one()
    return tuple(row)


def next_scheduled() -> datetime | None:
    """When the next scheduled post comes due (public pages must not be kept past it)."""
    return db.session.scalar(
        sa.select(sa.func.min(Post.published_at)).where(
            Post.status == PostStatus.PUBLISHED, Post.published_at > now_utc()
        )
    )


@dataclass(frozen=True)
class FeedVersion:
    """What a feed's ETag and Last-Modified come from, without loading the posts."""

    public_posts: int
    last_modified: datetime | None


def feed_version(*, project_id: int | None = None) -> FeedVersion:
    query = sa.select(
        sa.func.count(Post.id), sa.func.max(Post.updated_at), sa.func.max(Post.published_at)
    ).where(visible())
    if project_id is not None:
        query = query.where(Post.project_id == project_id)
    count, updated, published = db.session.execute(query).one()
    moments = [m for m in (updated, published) if m is not None]
    return FeedVersion(count, max(moments) if moments else None)


def version_tag(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()[:32]
