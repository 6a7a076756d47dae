"""Every back-office route: anonymous visitors go to the login page, organisers are kept out
of the administrators' screens, administrators get everywhere."""

from __future__ import annotations

import re

import pytest

from registration.models import OrganiserRole

from .conftest import log_in, make_organiser

#: Screens only administrators may open.
ADMIN_ONLY = {
    "admin.organiser_list",
    "admin.organiser_new",
    "admin.organiser_deactivate",
    "admin.organiser_activate",
    "admin.organiser_password",
    "admin.audit_log",
}
OPEN = {"admin.login"}


@pytest.fixture
def world(app, make_event, make_registration):
    """One of everything a route may name in its address."""
    event = make_event(stops=[("Aizkraukle, autoosta", 30)])
    registration = make_registration(event)
    other = make_organiser("citrs@partneriba.example")
    return {
        "event_id": event.id,
        "registration_id": registration.id,
        "organiser_id": other.id,
    }


def admin_rules(app):
    rules = [rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/admin")]
    assert len(rules) > 20
    return rules


def requests_for(app, world):
    for rule in admin_rules(app):
        unknown = set(rule.arguments) - set(world)
        assert not unknown, f"the test does not know how to fill {unknown} in {rule.rule}"
        url = rule.rule
        for name in rule.arguments:
            url = re.sub(rf"<(?:\w+:)?{name}>", str(world[name]), url)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, url


def test_anonymous_visitors_are_sent_to_the_login_page(app, client, world):
    for endpoint, method, url in requests_for(app, world):
        response = client.open(url, method=method)
        if endpoint in OPEN:
            assert response.status_code in (200, 302), (method, url)
            continue
        assert response.status_code == 302, (method, url, response.status_code)
        assert response.headers["Location"].startswith("/admin/login"), (method, url)


def test_organisers_are_refused_the_administrators_screens(app, client, world):
    organiser = make_organiser("ilze@partneriba.example")
    for endpoint, method, url in requests_for(app, world):
        if endpoint == "admin.logout":
            continue
        log_in(client, organiser.email)
        response = client.open(url, method=method)
        if endpoint in ADMIN_ONLY:
            assert response.status_code == 403, (method, url)
        else:
            assert response.status_code not in (403, 500), (method, url, response.status_code)
            location = response.headers.get("Location", "")
            assert not location.startswith("/admin/login"), (method, url)


def test_administrators_open_every_screen(app, client, world):
    admin = make_organiser("valdis@partneriba.example", OrganiserRole.ADMIN)
    for endpoint, method, url in requests_for(app, world):
        if endpoint == "admin.logout":
            continue
        log_in(client, admin.email)
        response = client.open(url, method=method)
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
