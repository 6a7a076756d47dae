"""Back-office accounts: logging in, creating, deactivating and new passwords."""

from __future__ import annotations

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..models import AuditAction, Organiser, OrganiserRole
from ..timeutil import now_utc
from . import DomainError, audit

MIN_PASSWORD_LENGTH = 12

#: Checked against when nobody has the given email, so a wrong email takes as long as a wrong
#: password and the response time does not tell which one it was.
_DUMMY_HASH = generate_password_hash("not a password of anyone")


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_by_email(email: str) -> Organiser | None:
    return db.session.scalar(sa.select(Organiser).where(Organiser.email == normalise_email(email)))


def authenticate(email: str, password: str) -> Organiser | None:
    """The active organiser with this email and password, or None (whichever was wrong)."""
    organiser = find_by_email(email)
    if organiser is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not organiser.check_password(password) or not organiser.active:
        return None
    organiser.last_login_at = now_utc()
    db.session.commit()
    return organiser


def _check_password(password: str) -> None:
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
    try:
        email = validate_email(email, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        raise DomainError(_("Enter an email address such as anna@example.lv.")) from None
    if find_by_email(email) is not None:
        raise DomainError(_("An account with this email already exists."))
    _check_password(password)
    organiser = Organiser(email=email, name=name.strip(), role=role, active=True)
    organiser.set_password(password)
    db.session.add(organiser)
    audit.record(AuditAction.ACCOUNT_CREATED, actor, subject=email, role=role.value)
    db.session.commit()
    return organiser


def _active_admins() -> int:
    query = sa.select(sa.func.count()).where(
        Organiser.role == OrganiserRole.ADMIN, Organiser.active.is_(True)
    )
    return db.session.scalar(query) or 0


def set_active(organiser_id: int, active: bool, *, actor: Organiser) -> Organiser:
    """Deactivate (the account can no longer log in; its sessions end) or reactivate."""
    organiser = db.get_or_404(Organiser, organiser_id)
    if organiser.active == active:
        return organiser
    if not active:
        if organiser.id == actor.id:
            raise DomainError(_("You cannot deactivate your own account."))
        if organiser.is_admin and _active_admins() <= 1:
            raise DomainError(_("At least one administrator must remain active."))
    organiser.active = active
    action = AuditAction.ACCOUNT_ENABLED if active else AuditAction.ACCOUNT_DISABLED
    audit.record(action, actor, subject=organiser.email)
    db.session.commit()
    return organiser


def reset_password(organiser_id: int, password: str, *, actor: Organiser) -> Organiser:
    """A new password; sessions opened with the old one end."""
    organiser = db.get_or_404(Organiser, organiser_id)
    _check_password(password)
    organiser.set_password(password)
    audit.record(AuditAction.PASSWORD_RESET, actor, subject=organiser.email)
    db.session.commit()
    return organiser
