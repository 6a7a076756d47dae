"""Seats are never oversold: 200 people press the button at once, on four gunicorn workers,
some of them alone and some with one to three companions.

Runs against the same database as the rest of the suite: the SQLite file of the test, or
PostgreSQL when TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from registration.extensions import db
from registration.models import Event, Registration, RegistrationStatus
from registration.services import booking, tokens

from ..live_server import Browser, app_env, gunicorn

PEOPLE = 200
SEATS = 20


def companions_of(n: int) -> int:
    """Person n signs up alone or with 1-3 companions: groups of 1 to 4 mixed through."""
    return (0, 0, 1, 0, 2, 3)[n % 6]


def group_fields(n: int) -> dict[str, str]:
    fields = {}
    for i in range(companions_of(n)):
        fields |= {
            f"companions-{i}-first_name": f"Pavadonis {to_letters(i)}",
            f"companions-{i}-last_name": f"Numurs {to_letters(n)}",
            f"companions-{i}-place": "Koknese",
        }
    return fields


@pytest.fixture
def server(app):
    env = app_env(
        app,
        SIGNUP_MIN_SECONDS="0",
        # The limits stay on, counting inside the race (all from one address), but wide.
        SIGNUP_LIMIT_PER_ADDRESS="1000 per minute",
        SIGNUP_LIMIT_PER_NETWORK="1000 per minute",
        SIGNUP_LIMIT_PER_EVENT="1000 per minute",
    )
    with gunicorn(env=env, workers=4) as base_url:
        yield base_url


def to_letters(n: int) -> str:
    """A number written in letters (names take no digits): 0 -> 'a', 27 -> 'ch'."""
    return "".join("abcdefghijklmnopqrstuvwxyz"[int(d)] for d in str(n))


def send_at_once(base_url: str, slug: str, forms: list[dict[str, str]]) -> list[tuple[int, str]]:
    """Each visitor loads the page, then all send their form at the same moment; the status
    and Location of each answer."""
    ready = threading.Barrier(len(forms))

    def visitor(fields: dict[str, str]) -> tuple[int, str]:
        browser = Browser(base_url)
        try:
            status, _, page = browser.get(f"/notikumi/{slug}")
            assert status == 200
            form = {**Browser.hidden_fields(page), "place": "Aizkraukle", "consent": "y", **fields}
            ready.wait(timeout=240)  # a loaded machine needs long for 200 page loads
            status, headers, _ = browser.request("POST", f"/notikumi/{slug}", form)
            return status, headers.get("Location", "")
        finally:
            browser.close()

    with ThreadPoolExecutor(max_workers=len(forms)) as pool:
        return list(pool.map(visitor, forms))


def sign_up_all_at_once(
    base_url: str, slug: str, *, with_groups: bool = False
) -> list[tuple[int, str]]:
    """PEOPLE different people send the form at the same moment."""
    forms = [
        {
            "first_name": "Dalībnieks",
            "last_name": f"Numurs {to_letters(n)}",
            "email": f"cilveks{n}@example.lv",
            **(group_fields(n) if with_groups else {}),
        }
        for n in range(PEOPLE)
    ]
    return send_at_once(base_url, slug, forms)


def waiting_in_order(event_id: int) -> list[Registration]:
    return list(
        db.session.scalars(
            sa.select(Registration)
            .where(
                Registration.event_id == event_id,
                Registration.status == RegistrationStatus.WAITLISTED,
            )
            .order_by(Registration.queued_at, Registration.id)
        )
    )


def count(event_id: int, status: RegistrationStatus) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).where(
            Registration.event_id == event_id, Registration.status == status
        )
    )


def test_two_hundred_simultaneous_sign_ups_never_oversell(server, make_event):
    event = make_event(capacity=SEATS, has_waiting_list=True)
    event_id, slug = event.id, event.slug

    results = sign_up_all_at_once(server, slug)

    assert [status for status, _ in results] == [303] * PEOPLE
    assert all(location.endswith(f"/notikumi/{slug}/pieteikums") for _, location in results)
    db.session.rollback()
    db.session.expire_all()
    assert count(event_id, RegistrationStatus.CONFIRMED) == SEATS
    assert count(event_id, RegistrationStatus.WAITLISTED) == PEOPLE - SEATS
    assert db.session.get(Event, event_id).confirmed_count == SEATS
    queue = waiting_in_order(event_id)
    assert [booking.waiting_position(r) for r in queue] == list(range(1, PEOPLE - SEATS + 1))
    emails = {r.email_key for r in db.session.scalars(sa.select(Registration))}
    assert len(emails) == PEOPLE

    # Five confirmed people cancel through their private links: exactly the first five
    # waiting get their seats, in order.
    first_five = [r.id for r in queue[:5]]
    confirmed = db.session.scalars(
        sa.select(Registration).where(Registration.status == RegistrationStatus.CONFIRMED).limit(5)
    ).all()
    links = [tokens.manage_token(r) for r in confirmed]
    db.session.rollback()
    db.session.expire_all()

    def cancel(token: str) -> int:
        browser = Browser(server)
        try:
            status, _, _ = browser.post_form(f"/pieteikums/{token}/atcelt", {})
            return status
        finally:
            browser.close()

    with ThreadPoolExecutor(max_workers=5) as pool:
        assert list(pool.map(cancel, links)) == [303] * 5

    db.session.rollback()
    db.session.expire_all()
    assert count(event_id, RegistrationStatus.CONFIRMED) == SEATS
    assert count(event_id, RegistrationStatus.CANCELLED) == 5
    promoted = db.session.scalars(
        sa.select(Registration.id).where(Registration.id.in_(first_five))
    ).all()
    statuses = {db.session.get(Registration, i).status for i in promoted}
    assert statuses == {RegistrationStatus.CONFIRMED}
    queue = waiting_in_order(event_id)
    assert len(queue) == PEOPLE - SEATS - 5
    assert [booking.waiting_position(r) for r in queue] == list(range(1, len(queue) + 1))
    assert db.session.get(Event, event_id).confirmed_count == SEATS


def test_the_result_page_position_matches_the_database(server, make_event):
    """What a person is told (waiting number N) is what the queue says."""
    event = make_event(capacity=1)
    browser = Browser(server)
    try:
        positions = []
        for n in range(4):
            browser.cookies.clear()
            status, headers, _ = browser.post_form(
                f"/notikumi/{event.slug}",
                {
                    "first_name": "Anna",
                    "last_name": to_letters(n),
                    "email": f"p{n}@example.lv",
                    "place": "Koknese",
                    "consent": "y",
                },
            )
            assert status == 303
            _, _, page = browser.get(headers["Location"])
            found = re.search(r"Jūs esat (\d+)\. gaidīšanas sarakstā", page)
            positions.append(int(found.group(1)) if found else None)
    finally:
        browser.close()
    assert positions == [None, 1, 2, 3]


def entries_in_order(event_id: int) -> list[list[Registration]]:
    """Every active entry (a person with their companions) in the order of the queue."""
    rows = db.session.scalars(
        sa.select(Registration)
        .where(
            Registration.event_id == event_id, Registration.status != RegistrationStatus.CANCELLED
        )
        .order_by(Registration.queued_at, Registration.id)
    )
    entries: dict[int, list[Registration]] = {}
    for registration in rows:
        entries.setdefault(registration.entry_id, []).append(registration)
    return list(entries.values())


def expected_statuses(entries: list[list[Registration]], seats: int) -> list[RegistrationStatus]:
    """First come, first served, each entry whole: seated while it fits, and once one does
    not, everyone behind it waits too."""
    free, blocked, expected = seats, False, []
    for entry in entries:
        fits = not blocked and len(entry) <= free
        blocked = blocked or not fits
        free -= len(entry) if fits else 0
        expected.append(RegistrationStatus.CONFIRMED if fits else RegistrationStatus.WAITLISTED)
    return expected


def check_the_queue(event_id: int, seats: int) -> list[list[Registration]]:
    db.session.rollback()
    db.session.expire_all()
    entries = entries_in_order(event_id)
    for entry in entries:
        assert len({r.status for r in entry}) == 1, "a group was split"
    assert [entry[0].status for entry in entries] == expected_statuses(entries, seats)
    confirmed = sum(len(e) for e in entries if e[0].status is RegistrationStatus.CONFIRMED)
    assert count(event_id, RegistrationStatus.CONFIRMED) == confirmed
    assert db.session.get(Event, event_id).confirmed_count == confirmed
    waiting = [e for e in entries if e[0].status is RegistrationStatus.WAITLISTED]
    assert [booking.waiting_position(e[0]) for e in waiting] == list(range(1, len(waiting) + 1))
    for entry in waiting:
        assert {booking.waiting_position(r) for r in entry} == {booking.waiting_position(entry[0])}
    return entries


def test_two_hundred_simultaneous_sign_ups_with_groups_stay_exact(server, make_event):
    event = make_event(capacity=SEATS, has_waiting_list=True)
    event_id, slug = event.id, event.slug

    results = sign_up_all_at_once(server, slug, with_groups=True)

    assert [status for status, _ in results] == [303] * PEOPLE
    entries = check_the_queue(event_id, SEATS)
    people = PEOPLE + sum(companions_of(n) for n in range(PEOPLE))
    assert sum(len(entry) for entry in entries) == people
    assert sorted(len(entry) for entry in entries) == sorted(
        1 + companions_of(n) for n in range(PEOPLE)
    )

    # Confirmed people cancel through their private links, at once: their seats go to the
    # entries first in the queue, each whole, and nobody behind jumps ahead.
    confirmed = [r for e in entries for r in e if r.status is RegistrationStatus.CONFIRMED]
    leaving = confirmed[:5]
    links = [tokens.manage_token(r) for r in leaving]
    db.session.rollback()

    def cancel(token: str) -> int:
        browser = Browser(server)
        try:
            status, _, _ = browser.post_form(f"/pieteikums/{token}/atcelt", {})
            return status
        finally:
            browser.close()

    with ThreadPoolExecutor(max_workers=5) as pool:
        assert list(pool.map(cancel, links)) == [303] * 5
    after = check_the_queue(event_id, SEATS)
    assert count(event_id, RegistrationStatus.CANCELLED) == 5
    assert sum(len(entry) for entry in after) == people - 5


def test_a_person_pressing_the_button_several_times_at_once_is_signed_up_once(server, make_event):
    event = make_event(capacity=SEATS, has_waiting_list=True)
    event_id, slug = event.id, event.slug
    presses = 4  # a double tap twice over, within the per-address limit of the defaults
    person = {"first_name": "Ilze", "last_name": "Kalniņa", "email": "ilze@example.lv"}
    results = send_at_once(server, slug, [person] * presses)

    # Every press lands on the result page; nobody is told to try again.
    assert results == [(303, results[0][1])] * presses
    assert results[0][1].endswith(f"/notikumi/{slug}/pieteikums")
    db.session.expire_all()
    assert count(event_id, RegistrationStatus.CONFIRMED) == 1
