"""What projects, posts and documents share: field errors, web addresses, visibility."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from ..extensions import db
from ..places import slugify
from ..render_cache import recheck_soon
from . import DomainError, after_commit

#: The per-process caches of public pages and files that show projects, posts, documents or
#: the organisation's details.
PUBLIC_CACHES = ("upcoming", "event_pages", "calendar_events", "calendar_feeds")

#: Longest URL part, as the columns allow.
SLUG_MAX = 120


class InvalidFields(DomainError):
    """Input breaks one or more rules; `errors` maps field names to sentences to show."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(next(iter(errors.values())))
        self.errors = errors


def raise_if(errors: dict[str, str]) -> None:
    if errors:
        raise InvalidFields(errors)


def slug_error(slug: str) -> str | None:
    """Why `slug`, typed by an organiser, is not a usable web address; None if it is."""
    if slugify(slug) != slug or len(slug) > SLUG_MAX:
        return _("Use only small Latin letters, digits and hyphens, for example nvo-domnica.")
    return None


def slug_taken(model, slug: str, own_id: int | None = None) -> bool:
    query = sa.select(model.id).where(model.slug == slug)
    if own_id is not None:
        query = query.where(model.id != own_id)
    return db.session.scalar(query.limit(1)) is not None


def free_slug(model, text: str, fallback: str, own_id: int | None = None) -> str:
    """A free web address made from `text` ('Jauna pieredze Jaunolainē' -> 'jauna-pieredze-
    jaunolaine'), numbered when taken."""
    base = slugify(text)[: SLUG_MAX - 4].strip("-") or fallback
    slug, n = base, 1
    while slug_taken(model, slug, own_id):
        n += 1
        slug = f"{base}-{n}"
    return slug


def choose_slug(model, wanted: str, title: str, fallback: str, own_id: int | None = None) -> str:
    """The organiser's address if they typed one (InvalidFields if it is bad or taken),
    else one made from the title. An existing row keeps its address unless told otherwise."""
    if wanted:
        if error := slug_error(wanted):
            raise InvalidFields({"slug": error})
        if slug_taken(model, wanted, own_id):
            raise InvalidFields({"slug": _("This web address is already used. Choose another.")})
        return wanted
    return free_slug(model, title, fallback, own_id)


def refresh_public_pages() -> None:
    """Once the current unit of work commits, have this process's cached public pages ask
    whether they are out of date (other processes notice within seconds)."""
    after_commit(lambda: recheck_soon(*PUBLIC_CACHES))
