"""Administrators manage the accounts; the log says who did it."""

from __future__ import annotations

import sqlalchemy as sa

from registration.extensions import db
from registration.models import AuditAction, AuditEntry, Organiser

from .helpers import log_in


def test_create_an_account(admin_client):
    response = admin_client.post(
        "/admin/organisers/new",
        data={
            "email": " Marta@Partneriba.Example ",
            "name": "Marta",
            "role": "organiser",
            "password": "divpadsmit-zīmes",
            "password_repeat": "divpadsmit-zīmes",
        },
    )
    assert response.status_code == 302
    marta = db.session.scalar(
        sa.select(Organiser).where(Organiser.email == "marta@partneriba.example")
    )
    assert marta is not None and marta.check_password("divpadsmit-zīmes")
    entry = db.session.scalar(sa.select(AuditEntry))
    assert entry.action is AuditAction.ACCOUNT_CREATED and entry.subject == marta.email


def test_short_or_differing_passwords_are_refused(admin_client):
    page = admin_client.post(
        "/admin/organisers/new",
        data={"email": "a@b.lv", "role": "organiser", "password": "īsa", "password_repeat": "cita"},
    ).get_data(as_text=True)
    assert "vismaz 12 rakstzīmēm" in page
    assert "Abas paroles atšķiras" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Organiser)) == 1


def test_a_duplicate_email_is_refused(admin_client, admin):
    page = admin_client.post(
        "/admin/organisers/new",
        data={
            "email": admin.email,
            "role": "admin",
            "password": "divpadsmit-zīmes",
            "password_repeat": "divpadsmit-zīmes",
        },
    ).get_data(as_text=True)
    assert "Konts ar šo e-pasta adresi jau ir" in page


def test_a_tampered_role_is_refused(admin_client):
    response = admin_client.post(
        "/admin/organisers/new",
        data={
            "email": "x@y.lv",
            "role": "superuser",
            "password": "divpadsmit-zīmes",
            "password_repeat": "divpadsmit-zīmes",
        },
    )
    assert response.status_code == 200
    assert "Izvēlieties kādu no saraksta iespējām" in response.get_data(as_text=True)


def test_deactivate_and_reset_password(admin_client, client, organiser):
    admin_client.post(f"/admin/organisers/{organiser.id}/deactivate")
    db.session.refresh(organiser)
    assert not organiser.active
    admin_client.post(f"/admin/organisers/{organiser.id}/activate")
    admin_client.post(
        f"/admin/organisers/{organiser.id}/password",
        data={"password": "jaunā-parole-2027", "password_repeat": "jaunā-parole-2027"},
    )
    db.session.refresh(organiser)
    assert organiser.active and organiser.check_password("jaunā-parole-2027")
    actions = db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == [
        AuditAction.ACCOUNT_DISABLED,
        AuditAction.ACCOUNT_ENABLED,
        AuditAction.PASSWORD_RESET,
    ]


def test_an_administrator_cannot_lock_themselves_out(admin_client, admin):
    response = admin_client.post(f"/admin/organisers/{admin.id}/deactivate", follow_redirects=True)
    assert "Savu kontu nevar deaktivizēt" in response.get_data(as_text=True)
    db.session.refresh(admin)
    assert admin.active


def test_an_own_new_password_keeps_this_session(admin_client, admin):
    admin_client.post(
        f"/admin/organisers/{admin.id}/password",
        data={"password": "jaunā-parole-2027", "password_repeat": "jaunā-parole-2027"},
    )
    assert admin_client.get("/admin/organisers").status_code == 200


def test_audit_log_screen_lists_actions(admin_client, organiser, client):
    admin_client.post(f"/admin/organisers/{organiser.id}/deactivate")
    page = admin_client.get("/admin/audit").get_data(as_text=True)
    assert "deaktivizēja kontu" in page
    assert organiser.email in page
    log_in(client, organiser.email)  # nothing breaks for the deactivated account
