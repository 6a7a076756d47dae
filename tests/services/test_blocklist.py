"""The block list: addresses and whole domains, kept by organisers, audited."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from registration.extensions import db
from registration.models import AuditAction, AuditEntry
from registration.services import DomainError, NotFound, blocklist


def test_an_address_or_a_domain_with_its_subdomains(app):
    blocklist.add(" @Spam.Example. ", actor=None)
    blocklist.add("Prank@Example.lv", actor=None)
    assert blocklist.is_blocked("x@spam.example")
    assert blocklist.is_blocked("x@a.b.spam.example")
    assert blocklist.is_blocked("prank@example.lv")
    assert not blocklist.is_blocked("other@example.lv")
    assert not blocklist.is_blocked("x@notspam.example")
    assert [e.value for e in blocklist.entries()] == ["spam.example", "prank@example.lv"]


@pytest.mark.parametrize("value", ["", "example", "a b@example.lv", "http://spam.example/x"])
def test_what_is_not_an_address_or_domain_is_explained(app, value):
    with pytest.raises(DomainError):
        blocklist.add(value, actor=None)


def test_adding_twice_and_removing_are_audited_once_each(app):
    entry = blocklist.add("spam.example", actor=None)
    assert blocklist.add("SPAM.example", actor=None).id == entry.id
    assert blocklist.remove(entry.id, actor=None) == "spam.example"
    with pytest.raises(NotFound):
        blocklist.remove(entry.id, actor=None)
    actions = db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == [AuditAction.ADDRESS_BLOCKED, AuditAction.ADDRESS_UNBLOCKED]
