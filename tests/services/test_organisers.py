"""Back-office accounts, straight through the service: passwords, addresses, deactivation."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from registration.extensions import db
from registration.models import AuditAction, AuditEntry, Organiser, OrganiserRole
from registration.services import DomainError, NotFound, organisers
from registration.timeutil import frozen_time, now_utc
from tests.factories import PASSWORD, make_organiser

LONG_ENOUGH = "divpadsmit-z"  # 12 characters


def audit() -> list[tuple[AuditAction, str, str, dict]]:
    """The audit log: (action, who did it, whom it was about, details)."""
    entries = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id))
    return [(e.action, e.actor, e.subject, e.details) for e in entries]


def accounts() -> list[str]:
    return list(db.session.scalars(sa.select(Organiser.email).order_by(Organiser.id)))


# -- creating --------------------------------------------------------------------------------


def test_a_new_account_can_log_in_and_is_in_the_audit_log(app):
    admin = make_organiser("valdis@partneriba.example", OrganiserRole.ADMIN)
    created = organisers.create_organiser(
        "  Ilze.Kalna@Partneriba.example ",
        LONG_ENOUGH,
        name="  Ilze Kalna ",
        role=OrganiserRole.ORGANISER,
        actor=admin,
    )
    assert (created.email, created.name, created.role, created.active) == (
        "ilze.kalna@partneriba.example",
        "Ilze Kalna",
        OrganiserRole.ORGANISER,
        True,
    )
    assert organisers.authenticate("ILZE.KALNA@partneriba.example", LONG_ENOUGH) == created
    assert audit() == [
        (
            AuditAction.ACCOUNT_CREATED,
            admin.email,
            "ilze.kalna@partneriba.example",
            {"role": "organiser"},
        )
    ]


def test_an_account_made_from_the_command_line_has_no_actor(app):
    organisers.create_organiser(
        "inese@partneriba.example", LONG_ENOUGH, role=OrganiserRole.ADMIN, actor=None
    )
    assert audit() == [
        (AuditAction.ACCOUNT_CREATED, "", "inese@partneriba.example", {"role": "admin"})
    ]


@pytest.mark.parametrize("password", ["", "īsa", "vienpadsmit"])  # 0, 4 and 11 characters
def test_a_password_shorter_than_twelve_characters_is_refused(app, password):
    with pytest.raises(DomainError) as refused:
        organisers.create_organiser(
            "ilze@partneriba.example", password, role=OrganiserRole.ORGANISER, actor=None
        )
    assert str(refused.value.message) == "Parolei jābūt vismaz 12 rakstzīmēm garai."
    assert accounts() == []


def test_twelve_characters_are_enough_and_latvian_letters_count_as_one_each(app):
    organisers.check_password("ābeļziediņš!")  # 12 characters, more bytes
    organisers.check_password(LONG_ENOUGH)
    with pytest.raises(DomainError):
        organisers.check_password("ābeļziediņš")  # 11


@pytest.mark.parametrize("email", ["", "ilze", "ilze@", "@partneriba.example", "ilze @x.lv"])
def test_an_address_that_is_not_one_is_refused(app, email):
    with pytest.raises(DomainError) as refused:
        organisers.create_organiser(email, LONG_ENOUGH, role=OrganiserRole.ORGANISER, actor=None)
    assert "derīgu e-pasta adresi" in str(refused.value.message)
    assert accounts() == []


def test_the_same_address_in_other_letters_is_a_duplicate(app):
    make_organiser("ilze@partneriba.example")
    with pytest.raises(DomainError) as refused:
        organisers.create_organiser(
            " ILZE@partneriba.example", LONG_ENOUGH, role=OrganiserRole.ADMIN, actor=None
        )
    assert str(refused.value.message) == "Konts ar šo e-pasta adresi jau ir."
    assert accounts() == ["ilze@partneriba.example"]
    assert audit() == []


# -- logging in ------------------------------------------------------------------------------


def test_a_login_remembers_when(app):
    organiser = make_organiser("ilze@partneriba.example")
    assert organiser.last_login_at is None
    with frozen_time(now_utc().replace(microsecond=0)):
        moment = now_utc()
        assert organisers.authenticate("ilze@partneriba.example", PASSWORD) == organiser
    assert db.session.get(Organiser, organiser.id).last_login_at == moment


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("ilze@partneriba.example", "nepareiza-parole"),
        ("nav@partneriba.example", PASSWORD),
        ("", ""),
    ],
)
def test_a_wrong_email_or_password_gives_nobody(app, email, password):
    make_organiser("ilze@partneriba.example")
    assert organisers.authenticate(email, password) is None


# -- deactivating ----------------------------------------------------------------------------


def test_a_deactivated_account_cannot_log_in_until_reactivated(app):
    admin = make_organiser("valdis@partneriba.example", OrganiserRole.ADMIN)
    ilze = make_organiser("ilze@partneriba.example")

    organisers.set_active(ilze.id, False, actor=admin)
    assert organisers.authenticate(ilze.email, PASSWORD) is None
    # The list puts active accounts first.
    assert [o.email for o in organisers.all_organisers()] == [admin.email, ilze.email]

    organisers.set_active(ilze.id, True, actor=admin)
    assert organisers.authenticate(ilze.email, PASSWORD) == ilze
    assert [(action, subject) for action, _, subject, _ in audit()] == [
        (AuditAction.ACCOUNT_DISABLED, ilze.email),
        (AuditAction.ACCOUNT_ENABLED, ilze.email),
    ]


def test_deactivating_twice_changes_nothing_and_writes_one_line(app):
    admin = make_organiser("valdis@partneriba.example", OrganiserRole.ADMIN)
    ilze = make_organiser("ilze@partneriba.example")
    organisers.set_active(ilze.id, False, actor=admin)
    organisers.set_active(ilze.id, False, actor=admin)
    assert [action for action, *_ in audit()] == [AuditAction.ACCOUNT_DISABLED]


def test_nobody_deactivates_their_own_account(app):
    admin = make_organiser("valdis@partneriba.example", OrganiserRole.ADMIN)
    make_organiser("inese@partneriba.example", OrganiserRole.ADMIN)
    with pytest.raises(DomainError) as refused:
        organisers.set_active(admin.id, False, actor=admin)
    assert str(refused.value.message) == "Savu kontu nevar deaktivizēt."
    assert db.session.get(Organiser, admin.id).active


def test_the_last_active_administrator_stays(app):
    valdis = make_organiser("valdis@partneriba.example", OrganiserRole.ADMIN)
    inese = make_organiser("inese@partneriba.example", OrganiserRole.ADMIN)
    organisers.set_active(inese.id, False, actor=valdis)
    # An administrator deactivated earlier acts through a session that has not ended yet.
    with pytest.raises(DomainError) as refused:
        organisers.set_active(valdis.id, False, actor=inese)
    assert str(refused.value.message) == "Vismaz vienam administratoram jāpaliek aktīvam."
    assert db.session.get(Organiser, valdis.id).active


def test_an_unknown_account_is_not_found(app):
    admin = make_organiser("valdis@partneriba.example", OrganiserRole.ADMIN)
    assert organisers.get_organiser(999) is None
    with pytest.raises(NotFound):
        organisers.set_active(999, False, actor=admin)
    with pytest.raises(NotFound):
        organisers.reset_password(999, LONG_ENOUGH, actor=admin)


# -- new passwords ---------------------------------------------------------------------------


def test_a_new_password_replaces_the_old_one(app):
    admin = make_organiser("valdis@partneriba.example", OrganiserRole.ADMIN)
    ilze = make_organiser("ilze@partneriba.example")
    organisers.reset_password(ilze.id, "jauna-gara-parole", actor=admin)
    assert organisers.authenticate(ilze.email, PASSWORD) is None
    assert organisers.authenticate(ilze.email, "jauna-gara-parole") == ilze
    assert audit() == [(AuditAction.PASSWORD_RESET, admin.email, ilze.email, {})]


def test_a_short_new_password_is_refused_and_the_old_one_still_works(app):
    admin = make_organiser("valdis@partneriba.example", OrganiserRole.ADMIN)
    ilze = make_organiser("ilze@partneriba.example")
    with pytest.raises(DomainError):
        organisers.reset_password(ilze.id, "īsa-parole", actor=admin)
    assert organisers.authenticate(ilze.email, PASSWORD) == ilze
    assert audit() == []
