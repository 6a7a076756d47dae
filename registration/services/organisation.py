"""The organisation's own details: what the back office saved, else the configuration's.

Every page shows the organisation's name in its header, so the details are kept in each
process and the database is asked at most every LIST_CACHE_RECHECK_SECONDS whether they
changed (one indexed read of one row); the process that saves them knows at once.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import THE_ORGANISATION, AuditAction, Organisation, Organiser
from ..timeutil import now_utc
from . import DomainError, audit, unit_of_work, uploads
from .publishing import refresh_public_pages

_CACHE_KEY = "organisation_details"
_lock = threading.Lock()


@dataclass(frozen=True)
class OrganisationDetails:
    """What the site says about the organisation running it."""

    name: str
    registration_number: str = ""
    address: str = ""
    email: str = ""
    phone: str = ""
    website: str = ""
    #: Stored file name of the logo (served at /faili/<name>), and its size in pixels.
    logo_name: str | None = None
    logo_width: int | None = None
    logo_height: int | None = None
    #: When an organiser last saved them; None while the configuration's are used.
    saved_at: datetime | None = None


@dataclass
class OrganisationChange:
    """What the back-office form hands over."""

    name: str
    registration_number: str = ""
    address: str = ""
    email: str = ""
    phone: str = ""
    website: str = ""


@dataclass
class _Cached:
    details: OrganisationDetails
    checked_at: datetime


def _from_config() -> OrganisationDetails:
    config = current_app.config
    return OrganisationDetails(
        name=config["ORGANISATION_NAME"],
        registration_number=config.get("ORGANISATION_REGISTRATION_NUMBER", ""),
        address=config.get("ORGANISATION_ADDRESS", ""),
        email=config.get("ORGANISATION_EMAIL", ""),
        phone=config.get("ORGANISATION_PHONE", ""),
        website=config.get("ORGANISATION_URL", ""),
    )


def _from_row(row: Organisation) -> OrganisationDetails:
    logo = row.logo
    return OrganisationDetails(
        name=row.name,
        registration_number=row.registration_number,
        address=row.address,
        email=row.email,
        phone=row.phone,
        website=row.website,
        logo_name=logo.rendition_name(240) if logo else None,
        logo_width=min(logo.width or 240, 240) if logo else None,
        logo_height=_scaled_height(logo.width, logo.height, 240) if logo else None,
        saved_at=row.updated_at,
    )


def _scaled_height(width: int | None, height: int | None, target: int) -> int | None:
    if not width or not height:
        return height
    return height if width <= target else round(height * target / width)


def _load() -> OrganisationDetails:
    row = db.session.scalar(
        sa.select(Organisation)
        .where(Organisation.id == THE_ORGANISATION)
        .options(joinedload(Organisation.logo))
    )
    return _from_row(row) if row is not None else _from_config()


def _saved_at() -> datetime | None:
    return db.session.scalar(
        sa.select(Organisation.updated_at).where(Organisation.id == THE_ORGANISATION)
    )


def details() -> OrganisationDetails:
    """The current details; asks the database at most every few seconds.

    Every page's header shows them, error pages included: while the database cannot be
    asked (it is away, or the request's transaction has failed), the last details known, or
    the configured ones, so that the error page itself can be shown."""
    now = now_utc()
    recheck = timedelta(seconds=current_app.config["LIST_CACHE_RECHECK_SECONDS"])
    cached: _Cached | None = current_app.extensions.get(_CACHE_KEY)
    if cached is not None and now - cached.checked_at < recheck:
        return cached.details
    try:
        return _reread(cached, now)
    except sa.exc.SQLAlchemyError:
        return cached.details if cached is not None else _from_config()


def _reread(cached: _Cached | None, now: datetime) -> OrganisationDetails:
    if cached is not None and _saved_at() == cached.details.saved_at:
        cached.checked_at = now
        return cached.details
    fresh = _Cached(_load(), now)
    with _lock:
        current_app.extensions[_CACHE_KEY] = fresh
    return fresh.details


def version() -> datetime | None:
    """Changes whenever the details do (for pages and files that show them)."""
    return details().saved_at


def forget() -> None:
    """Drop this process's copy (after a change, or in tests)."""
    current_app.extensions.pop(_CACHE_KEY, None)


def current_row() -> Organisation | None:
    return db.session.get(Organisation, THE_ORGANISATION)


def save(
    change: OrganisationChange,
    *,
    logo: uploads.Upload | None = None,
    remove_logo: bool = False,
    actor: Organiser | None,
) -> Organisation:
    """Save the details (and a new logo, checked like any upload); all of it or nothing."""
    name = change.name.strip()
    if not name:
        raise DomainError(_("Enter the organisation's name."))
    with unit_of_work():
        row = db.session.get(Organisation, THE_ORGANISATION, with_for_update=True)
        if row is None:
            row = Organisation(id=THE_ORGANISATION, name=name)
            db.session.add(row)
        before = _snapshot(row)
        for field in ("registration_number", "address", "email", "phone", "website"):
            setattr(row, field, getattr(change, field).strip())
        row.name = name
        if logo is not None:
            old = row.logo
            row.logo = uploads.store(logo, uploads.Purpose.LOGO)
            uploads.discard(old)
        elif remove_logo and row.logo is not None:
            old, row.logo = row.logo, None
            uploads.discard(old)
        changed = sorted(k for k, v in _snapshot(row).items() if before.get(k) != v)
        if logo is not None or remove_logo:
            changed.append("logo")
        # Saving at all makes the back office's details the ones in use.
        row.updated_at = now_utc()
        refresh_public_pages()
        audit.record(AuditAction.ORGANISATION_CHANGED, actor, subject=name, fields=changed)
    forget()
    return row


def _snapshot(row: Organisation) -> dict:
    return {
        field: getattr(row, field)
        for field in ("name", "registration_number", "address", "email", "phone", "website")
    }
