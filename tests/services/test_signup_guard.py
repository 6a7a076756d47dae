"""Sign-ups per event and per email address, counted inside the sign-up's transaction."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from registration.extensions import db
from registration.models import OutboxMessage, Registration
from registration.ratelimits import counters
from registration.services import DomainError, blocklist, signup_guard
from registration.services.booking import Outcome, SignUpDetails
from registration.services.groups import CompanionDetails
from registration.services.signup_guard import LimitReached, LooksAutomated, Provenance


@pytest.fixture
def app_config():
    return {
        "RATELIMIT_ENABLED": True,
        "SIGNUP_LIMIT_PER_EVENT": "4 per 10 minutes",
        "SIGNUP_LIMIT_PER_EMAIL": "2 per hour",
    }


def details(email: str, **fields) -> SignUpDetails:
    return SignUpDetails(first_name="Ilze", last_name="Kalniņa", email=email, **fields)


def sign_up(event, email: str, nonce: str | None = None):
    return signup_guard.sign_up_online(event.id, details(email), Provenance("abc", nonce))


def count(model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def test_an_event_takes_so_many_sign_ups_in_the_window(make_event):
    event = make_event(capacity=None)
    for n in range(4):
        sign_up(event, f"p{n}@example.lv")
    with pytest.raises(LimitReached) as refused:
        sign_up(event, "p4@example.lv")
    assert 0 < refused.value.retry_after <= 600
    assert refused.value.what == "SIGNUP_LIMIT_PER_EVENT"
    assert count(Registration, Registration.event_id == event.id) == 4
    # Another event is counted on its own.
    assert sign_up(make_event(), "p4@example.lv").outcome is Outcome.CONFIRMED


def test_a_group_counts_each_person_and_each_address(make_event):
    event = make_event(capacity=None, max_companions=3)
    family = (
        CompanionDetails("Pēteris", "Kalniņš"),
        CompanionDetails("Marta", "Kalniņa", email="marta@example.lv"),
    )
    group = signup_guard.sign_up_online(
        event.id, details("ilze@example.lv", companions=family), Provenance("abc", None)
    )
    assert len(group.companions) == 2
    sign_up(event, "p3@example.lv")  # the fourth seat in the window
    with pytest.raises(LimitReached) as refused:
        sign_up(event, "p4@example.lv")
    assert refused.value.what == "SIGNUP_LIMIT_PER_EVENT"
    # The companion's address was counted too: twice an hour, then refused.
    sign_up(make_event(), "marta@example.lv")
    with pytest.raises(LimitReached):
        sign_up(make_event(), "marta@example.lv")


def test_one_address_signs_up_so_often_across_events(make_event):
    first, second, third = make_event(), make_event(), make_event()
    sign_up(first, "ilze@example.lv")
    sign_up(second, "ILZE@example.lv ")  # the same address, as registrations tell them apart
    with pytest.raises(LimitReached):
        sign_up(third, "ilze@example.lv")
    assert count(Registration, Registration.event_id == third.id) == 0


def test_a_refused_sign_up_counts_nothing(make_event):
    full = make_event(capacity=0, has_waiting_list=False)
    for _ in range(3):
        with pytest.raises(DomainError):
            sign_up(full, "ilze@example.lv")
    # Refused three times (a full event), yet the address still has both of its sign-ups.
    sign_up(make_event(), "ilze@example.lv")
    sign_up(make_event(), "ilze@example.lv")


def test_a_blocked_address_or_domain_saves_nothing_and_sends_nothing(make_event):
    event = make_event()
    blocklist.add("spam.example", actor=None)
    blocklist.add("mischief@example.lv", actor=None)
    for email in ("a@spam.example", "b@mail.spam.example", "Mischief@example.lv"):
        with pytest.raises(LooksAutomated):
            sign_up(event, email)
    assert count(Registration) == 0
    assert count(OutboxMessage) == 0
    assert sign_up(event, "a@notspam.example").outcome is Outcome.CONFIRMED


def test_the_network_is_kept_as_a_hash_with_the_registration(make_event):
    result = sign_up(make_event(), "ilze@example.lv")
    assert result.registration.network_hash == "abc"


def test_the_counter_table_knows_no_address(make_event):
    sign_up(make_event(), "ilze@example.lv", nonce="f00d")
    keys = db.session.scalars(sa.select(counters.counters.c.key)).all()
    # The event, the address, the form; the address's mail this hour and this day.
    assert len(keys) == 5
    assert not any("ilze" in key or "f00d" in key for key in keys)


@pytest.mark.parametrize(
    "app_config",
    [
        {
            "RATELIMIT_ENABLED": False,
            "MAIL_UNCONFIRMED_PER_HOUR": None,
            "MAIL_UNCONFIRMED_PER_DAY": None,
        }
    ],
)
def test_limits_off_count_nothing(make_event):
    event = make_event(capacity=None)
    for n in range(6):
        sign_up(event, "p@example.lv" if n == 0 else f"p{n}@example.lv")
    assert db.session.scalars(sa.select(counters.counters.c.key)).all() == []
