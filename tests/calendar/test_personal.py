"""A participant's own calendar file: same event, plus their stop, join link and manage link."""

from __future__ import annotations

from datetime import timedelta

import pytest

from registration.calendar import ics
from registration.extensions import db
from registration.models import EventKind, EventStatus, RegistrationStatus
from registration.services import tokens
from registration.timeutil import now_utc, to_riga

from .parsing import both, parse

JOIN_URL = "https://meet.example.org/nosleguma-pasakums?pwd=abc123"


@pytest.fixture
def sign_up(make_registration):
    """A registration with a real manage token; returns (registration, token)."""

    def sign_up(event, **fields):
        registration = make_registration(event, commit=False, **fields)
        token = tokens.assign_manage_token(registration)
        db.session.commit()
        return registration, token

    return sign_up


def download(client, token: str):
    response = client.get(f"/pieteikums/{token}/kalendars.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    return response


def test_a_trip_file_has_the_persons_stop_and_starts_at_their_bus(client, make_event, sign_up):
    trip = make_event(
        kind=EventKind.STUDY_TRIP,
        stops=[("Pļaviņas, autoosta", 60), ("Aizkraukle, autoosta", 30)],
    )
    stop = trip.pickup_stops[0]
    _, token = sign_up(trip, pickup_stop=stop)
    response = download(client, token)
    assert response.headers["Content-Disposition"] == f'attachment; filename="{trip.slug}.ics"'
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"

    seen = both(parse(response.data), trip.uid)
    assert seen.uid == trip.uid
    assert seen.starts_at == stop.departs_at == trip.starts_at - timedelta(minutes=60)
    assert seen.ends_at == trip.ends_at
    assert seen.location == "Pļaviņas, autoosta"
    departure = to_riga(stop.departs_at).strftime("%H:%M")
    assert seen.description.startswith(
        f"Jūsu pieturvieta: Pļaviņas, autoosta, izbraukšana {departure}.\n\n"
    )
    assert f"http://localhost/pieteikums/{token}" in seen.description
    assert seen.status == "CONFIRMED"


def test_an_online_event_file_has_the_join_link(client, make_event, sign_up):
    event = make_event(is_online=True, online_url=JOIN_URL, venue_name="", venue_address="")
    _, token = sign_up(event)
    parsed = parse(download(client, token).data)
    seen = both(parsed, event.uid)
    assert f"Pieslēgties tiešsaistē: {JOIN_URL}" in seen.description
    assert seen.location == JOIN_URL
    conference = parsed.ical_event(event.uid)["CONFERENCE"]
    assert str(conference) == JOIN_URL
    assert conference.params["FEATURE"] == "VIDEO"
    assert parsed.vobject_event(event.uid).conference.value == JOIN_URL


@pytest.mark.parametrize(
    "status", [RegistrationStatus.WAITLISTED, RegistrationStatus.CANCELLED], ids=lambda s: s.value
)
def test_only_people_with_a_seat_get_the_join_link(app, make_event, sign_up, status):
    event = make_event(is_online=True, online_url=JOIN_URL, venue_name="", venue_address="")
    registration, _ = sign_up(event, status=status)
    text = ics.personal_calendar(registration, tokens.manage_url(registration)).decode()
    assert "meet.example.org" not in text
    assert "CONFERENCE" not in text


def test_a_join_link_with_commas_and_semicolons_survives_in_the_text(client, make_event, sign_up):
    # (Only the text properties: vobject reads the unescaped URI of CONFERENCE as a list.)
    odd = "https://meet.example.org/j/1;type=a?pwd=x,y"
    event = make_event(is_online=True, online_url=odd)
    _, token = sign_up(event)
    seen = both(parse(download(client, token).data), event.uid)
    assert seen.location == odd
    assert f"Pieslēgties tiešsaistē: {odd}\n" in seen.description


def test_the_personal_and_public_files_describe_the_same_event(client, make_event, sign_up):
    event = make_event(title="Seminārs; „Līdzdalība”, laukos")
    _, token = sign_up(event)
    personal = both(parse(download(client, token).data), event.uid)
    public = both(parse(client.get(f"/kalendars/notikums/{event.id}.ics").data), event.uid)
    assert (personal.uid, personal.summary, personal.starts_at, personal.sequence) == (
        public.uid,
        public.summary,
        public.starts_at,
        public.sequence,
    )
    assert personal.description.endswith(public.description)
    assert token not in client.get(f"/kalendars/notikums/{event.id}.ics").get_data(as_text=True)


@pytest.mark.parametrize(
    ("registration_status", "event_status", "expected"),
    [
        (RegistrationStatus.WAITLISTED, EventStatus.PUBLISHED, "TENTATIVE"),
        (RegistrationStatus.CANCELLED, EventStatus.PUBLISHED, "CANCELLED"),
        (RegistrationStatus.CONFIRMED, EventStatus.CANCELLED, "CANCELLED"),
    ],
)
def test_status_follows_the_registration_and_the_event(
    app, make_event, sign_up, registration_status, event_status, expected
):
    # Built directly: the manage page serves files of active registrations only, but a
    # cancellation email may attach one so the person's calendar drops the event.
    event = make_event(status=event_status, cancelled_at=now_utc())
    registration, _ = sign_up(event, status=registration_status)
    assert (
        both(
            parse(ics.personal_calendar(registration, tokens.manage_url(registration))), event.uid
        ).status
        == expected
    )


def test_an_unknown_token_is_not_found(client, make_event, sign_up):
    sign_up(make_event())
    assert client.get("/pieteikums/nav-tads/kalendars.ics").status_code == 404
    assert client.get(f"/pieteikums/{'x' * 200}/kalendars.ics").status_code == 404


def test_built_without_a_request_in_the_persons_language(app, make_event, sign_up):
    # The mail worker attaches the file to a confirmation: no request, the person's language.
    event = make_event(is_online=True, online_url=JOIN_URL)
    registration, token = sign_up(event, language="en")
    seen = both(
        parse(ics.personal_calendar(registration, tokens.manage_url(registration))), event.uid
    )
    assert f"Join online: {JOIN_URL}" in seen.description
    assert f"Your registration (to change or cancel it): http://localhost/pieteikums/{token}" in (
        seen.description
    )
    latvian = both(
        parse(ics.personal_calendar(registration, tokens.manage_url(registration), language="lv")),
        event.uid,
    )
    assert latvian.description.startswith("Pieslēgties tiešsaistē: ")
