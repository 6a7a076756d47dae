"""Back-office accounts: logging in, creating, deactivating and new passwords.

Password hashes are made (and checked) before a write transaction begins: a hash takes a
noticeable fraction of a second, and nobody else's sign-up should wait for it.
"""

from __future__ import annotations

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..models import AuditAction, Organiser, OrganiserRole
from ..timeutil import now_utc
from . import DomainError, NotFound, audit, unit_of_work

MIN_PASSWORD_LENGTH = 12

#: Checked against when nobody has the given email, so a wrong email takes as long as a wrong
#: password and the response time does not tell which one it was.
_DUMMY_HASH = generate_password_hash("not a password of anyone")


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_by_email(email: str) -> Organiser | None:
    return db.session.scalar(sa.select(Organiser).where(Organiser.email == normalise_email(email)))


def get_organiser(organiser_id: int) -> Organiser | None:
    """The account, or None when there is none with this id."""
    return db.session.get(Organiser, organiser_id)


def authenticate(email: str, password: str) -> Organiser | None:
    """The active organiser with this email and password, or None (whichever was wrong)."""
    organiser = find_by_email(email)
    if organiser is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not organiser.check_password(password) or not organiser.active:
        return None
    checked_hash = organiser.password_hash
    with unit_of_work():
        organiser = _locked(organiser.id)
        # Deactivated or given a new password while the old one was being checked.
        if not organiser.active or organiser.password_hash != checked_hash:
            return None
        organiser.last_login_at = now_utc()
    return organiser


def valid_email(email: str) -> str:
    """The address in the form accounts are stored in (trimmed, lower case); DomainError if
    it is not an email address. The error's cause is email-validator's own explanation."""
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise DomainError(
            _("Please enter a valid email address, for example vards@example.lv.")
        ) from exc


def check_password(password: str) -> None:
    """DomainError if the password is too short to be an account's password."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(
            _(
                "The password must be at least %(min)d characters long.",
                min=MIN_PASSWORD_LENGTH,
            )
        )


def all_organisers() -> list[Organiser]:
    return list(
        db.session.scalars(sa.select(Organiser).order_by(Organiser.active.desc(), Organiser.email))
    )


def create_organiser(
    email: str, password: str, *, name: str = "", role: OrganiserRole, actor: Organiser | None
) -> Organiser:
    """A new active account; recorded in the audit log (`actor` None: from the command line)."""
    email = valid_email(email)
    check_password(password)
    password_hash = Organiser.hash_password(password)
    with unit_of_work():
        if find_by_email(email) is not None:
            raise DomainError(_("An account with this email already exists."))
        organiser = Organiser(
            email=email, name=name.strip(), role=role, active=True, password_hash=password_hash
        )
        db.session.add(organiser)
        audit.record(AuditAction.ACCOUNT_CREATED, actor, subject=email, role=role.value)
    return organiser


def _locked(organiser_id: int) -> Organiser:
    """The account read fresh, its row locked (PostgreSQL); call inside `unit_of_work()`."""
    organiser = db.session.scalar(
        sa.select(Organiser)
        .where(Organiser.id == organiser_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if organiser is None:
        raise NotFound(_("This account was not found."))
    return organiser


def _lock_active_admins() -> int:
    """How many administrators are active, their rows locked (always in the same order, so
    two administrators deactivating each other at once wait rather than deadlock)."""
    query = (
        sa.select(Organiser.id)
        .where(Organiser.role == OrganiserRole.ADMIN, Organiser.active.is_(True))
        .order_by(Organiser.id)
        .with_for_update()
    )
    return len(db.session.scalars(query).all())


def set_active(organiser_id: int, active: bool, *, actor: Organiser) -> Organiser:
    """Deactivate (the account can no longer log in; its sessions end) or reactivate."""
    with unit_of_work():
        active_admins = _lock_active_admins()
        organiser = _locked(organiser_id)
        if organiser.active == active:
            return organiser
        if not active:
            if organiser.id == actor.id:
                raise DomainError(_("You cannot deactivate your own account."))
            if organiser.is_admin and active_admins <= 1:
                raise DomainError(_("At least one administrator must remain active."))
        organiser.active = active
        action = AuditAction.ACCOUNT_ENABLED if active else AuditAction.ACCOUNT_DISABLED
        audit.record(action, actor, subject=organiser.email)
    return organiser


def reset_password(organiser_id: int, password: str, *, actor: Organiser) -> Organiser:
    """A new password; sessions opened with the old one end."""
    check_password(password)
    password_hash = Organiser.hash_password(password)
    with unit_of_work():
        organiser = _locked(organiser_id)
        organiser.password_hash = password_hash
        audit.record(AuditAction.PASSWORD_RESET, actor, subject=organiser.email)
    return organiser
