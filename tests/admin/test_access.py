"""Every back-office route: anonymous visitors go to the login page, organisers are kept out
of the administrators' screens, administrators get everywhere."""

from __future__ import annotations

import re

import pytest

from registration.admin import access
from registration.extensions import db
from registration.models import BlockedAddress, OrganiserRole, OutboxState, QuestionKind
from tests import factories

from .helpers import log_in, make_public_content

#: Screens only administrators may open.
ADMIN_ONLY = {
    "admin.organiser_list",
    "admin.organiser_new",
    "admin.organiser_deactivate",
    "admin.organiser_activate",
    "admin.organiser_password",
    "admin.audit_log",
    "admin.organisation_details",
}
OPEN = {"admin.login"}


@pytest.fixture
def route_ids(app) -> dict[str, int]:
    """An existing id for every name a back-office address holds."""
    registration = factories.make_registration(
        factories.make_event(stops=[("Aizkraukle, autoosta", 30)])
    )
    failed = factories.make_outbox_message(registration, state=OutboxState.FAILED)
    blocked = BlockedAddress(value="spam.example")
    db.session.add(blocked)
    db.session.commit()
    question = factories.make_question(registration.event, QuestionKind.YES_NO, "Pusdienas?")
    project, post, document = make_public_content(registration.event)
    return {
        "question_id": question.id,
        "event_id": registration.event_id,
        "registration_id": registration.id,
        "organiser_id": factories.make_organiser().id,
        "message_id": failed.id,
        "entry_id": blocked.id,
        "project_id": project.id,
        "post_id": post.id,
        "document_id": document.id,
    }


def admin_rules(app):
    rules = [rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/admin")]
    assert len(rules) > 20
    return rules


def fill(rule, values) -> str:
    url = rule.rule
    for name in rule.arguments:
        url = re.sub(rf"<(?:[^:>]+:)?{name}>", str(values[name]), url)
    return url


def requests_for(app, route_ids):
    for rule in admin_rules(app):
        unknown = set(rule.arguments) - set(route_ids)
        assert not unknown, f"the test does not know how to fill {unknown} in {rule.rule}"
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, fill(rule, route_ids)


def opened(client, url: str, method: str):
    """The response, closed (a download sent from a file lets go of it)."""
    response = client.open(url, method=method)
    response.close()
    return response


def test_anonymous_visitors_are_sent_to_the_login_page(app, client, route_ids):
    for endpoint, method, url in requests_for(app, route_ids):
        response = opened(client, url, method)
        if endpoint in OPEN:
            assert response.status_code in (200, 302, 422), (method, url)
            continue
        assert response.status_code == 302, (method, url, response.status_code)
        assert response.headers["Location"].startswith("/admin/login"), (method, url)


def test_organisers_are_refused_the_administrators_screens(app, client, organiser, route_ids):
    for endpoint, method, url in requests_for(app, route_ids):
        if endpoint == "admin.logout":
            continue
        log_in(client, organiser.email)
        response = opened(client, url, method)
        if endpoint in ADMIN_ONLY:
            assert response.status_code == 403, (method, url)
        else:
            assert response.status_code not in (403, 500), (method, url, response.status_code)
            location = response.headers.get("Location", "")
            assert not location.startswith("/admin/login"), (method, url)


def test_administrators_open_every_screen(app, client, admin, route_ids):
    for endpoint, method, url in requests_for(app, route_ids):
        if endpoint == "admin.logout":
            continue
        log_in(client, admin.email)
        response = opened(client, url, method)
        assert response.status_code not in (403, 500), (method, url, response.status_code)
        assert not response.headers.get("Location", "").startswith("/admin/login"), (method, url)


def test_unknown_ids_are_not_found(admin_client):
    for url in (
        "/admin/events/999999",
        "/admin/events/999999/edit",
        "/admin/events/999999/participants",
        "/admin/events/999999/participants.csv",
        "/admin/events/999999/sign-in-sheet",
        "/admin/registrations/999999",
        "/admin/organisers/999999/password",
    ):
        assert admin_client.get(url).status_code == 404, url
    assert admin_client.post("/admin/events/999999/publish").status_code == 404


def test_a_registration_of_another_event_is_not_found(admin_client, make_event, make_registration):
    event, other = make_event(), make_event()
    registration = make_registration(other)
    response = admin_client.post(
        f"/admin/events/{event.id}/checkin/{registration.id}", data={"attendance": "attended"}
    )
    assert response.status_code == 404


#: Numbers no row can have: one past PostgreSQL's integer, and one past SQLite's too.
HUGE = (2**31, 10**20)


def test_huge_numbers_in_addresses_are_not_found(app, admin_client, route_ids):
    """Not a 500 from the database ("integer out of range", "Python int too large")."""
    checked = 0
    for rule in admin_rules(app):
        if not rule.arguments:
            continue
        for huge in HUGE:
            url = fill(rule, dict.fromkeys(route_ids, huge))
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                response = admin_client.open(url, method=method)
                assert response.status_code == 404, (method, url, response.status_code)
                checked += 1
    assert checked > 40


@pytest.mark.parametrize(
    "url",
    [
        "/admin/audit?page=0",
        "/admin/audit?page=-1",
        "/admin/audit?page=abc",
        "/admin/audit?page=99999999999999999999999",
        "/admin/audit?page=2",  # nothing there yet
        "/admin/audit?page=%C2%B2",  # a superscript two is a digit to str.isdigit
        "/admin/overview?project=99999999999999999999",
        "/admin/overview?project=2147483648",
        "/admin/overview?project=12",
        "/admin/overview.csv?project=99999999999999999999",
        "/admin/mail/failed?event=99999999999999999999",
        "/admin/mail/failed?event=x",
        "/admin/events/1/sign-in-sheet?blank=" + "9" * 5000,
    ],
)
def test_bad_numbers_in_the_query_are_not_found(admin_client, make_event, url):
    make_event()
    assert admin_client.get(url).status_code == 404


def test_good_numbers_in_the_query_still_work(admin_client, make_event):
    event = make_event()
    assert admin_client.get("/admin/audit?page=1").status_code == 200
    assert admin_client.get(f"/admin/events/{event.id}/sign-in-sheet?blank=100").status_code == 200
    assert admin_client.get(f"/admin/mail/failed?event={event.id}").status_code == 200


def test_every_screen_is_in_the_access_table_and_nothing_else(app):
    endpoints = {rule.endpoint for rule in admin_rules(app)}
    assert endpoints == set(access.ACCESS)
    assert {
        name for name, role in access.ACCESS.items() if role is OrganiserRole.ADMIN
    } == ADMIN_ONLY
    assert {name for name, role in access.ACCESS.items() if role is None} == OPEN


def test_a_screen_left_out_of_the_table_is_refused_to_everyone(admin_client, monkeypatch):
    client = admin_client
    assert client.get("/admin/overview").status_code == 200
    monkeypatch.delitem(access.ACCESS, "admin.overview")
    assert client.get("/admin/overview").status_code == 403
