"""Creating, editing, publishing, cancelling and copying events through the screens."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from registration import signals
from registration.extensions import db
from registration.models import (
    AuditAction,
    AuditEntry,
    Event,
    EventKind,
    EventStatus,
    OutboxMessage,
    RegistrationStatus,
)
from registration.services import event_admin
from registration.timeutil import to_riga, today_riga

from .helpers import edit_data, event_form, local


@pytest.fixture
def caught():
    """Signals sent during the test: name -> list of (sender, keywords)."""
    seen: dict[str, list] = {"changed": [], "cancelled": []}

    def on_changed(sender, **kw):
        seen["changed"].append((sender.id, kw))

    def on_cancelled(sender, **kw):
        seen["cancelled"].append((sender.id, kw))

    signals.event_changed.connect(on_changed)
    signals.event_cancelled.connect(on_cancelled)
    yield seen
    signals.event_changed.disconnect(on_changed)
    signals.event_cancelled.disconnect(on_cancelled)


def events() -> list[Event]:
    return list(db.session.scalars(sa.select(Event)))


def test_create_a_draft(organiser_client, organiser):
    response = organiser_client.post("/admin/events/new", data=event_form())
    assert response.status_code == 302
    (event,) = events()
    assert event.status is EventStatus.DRAFT
    assert event.slug == "nvo-domnica-irsos"
    assert event.capacity == 20
    assert event.ends_at - event.starts_at == timedelta(hours=3)
    entry = db.session.scalar(sa.select(AuditEntry))
    assert (entry.action, entry.actor, entry.event_id) == (
        AuditAction.EVENT_CREATED,
        organiser.email,
        event.id,
    )
    page = organiser_client.get("/admin/").get_data(as_text=True)
    assert "NVO domnīca Iršos" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "Ierakstiet nosaukumu."),
        ({"capacity": "-3"}, "Vietu skaits nevar būt negatīvs."),
        ({"capacity": "divdesmit"}, "Ierakstiet veselu skaitli"),
        ({"starts_at": "rīt no rīta"}, "Ierakstiet datumu un laiku"),
        (
            {"starts_at": "2020-05-01T10:00", "ends_at": "2020-05-01T12:00"},
            "Sākuma laiks jau ir pagājis",
        ),
        ({"kind": "study_trip"}, "vajadzīga vismaz viena pieturvieta"),
        ({"kind": "party"}, "Izvēlieties kādu no saraksta iespējām."),
        ({"is_online": "y"}, "vajadzīga pieslēgšanās saite"),
        ({"is_online": "y", "online_url": "javascript:alert(1)"}, "kas sākas ar https://"),
        ({"venue_name": ""}, "Ierakstiet, kur pasākums notiek."),
        ({"slug": "Ne Derīga"}, "mazos latīņu burtus"),
        ({"pickup_stops-0-place": "Pļaviņas"}, "Ierakstiet atiešanas laiku."),
        ({"pickup_stops-0-id": "x1"}, "Veidlapa tika mainīta ārpus šīs lapas."),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(organiser_client, overrides, message):
    response = organiser_client.post("/admin/events/new", data=event_form(**overrides))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert events() == []


def test_control_characters_never_reach_the_database(organiser_client):
    response = organiser_client.post(
        "/admin/events/new", data=event_form(title="Domnīca\x00 Secē\x07")
    )
    assert response.status_code == 302
    assert [e.title for e in events()] == ["Domnīca Secē"]


def test_end_before_start_and_closing_after_the_end(organiser_client):
    data = event_form()
    data["ends_at"], data["registration_closes_at"] = data["starts_at"], data["ends_at"]
    page = organiser_client.post("/admin/events/new", data=data).get_data(as_text=True)
    assert "Pasākumam jābeidzas pēc tā sākuma." in page
    assert "Pieteikšanās jābeidz pirms pasākuma beigām." in page
    assert events() == []


def test_a_study_trip_with_stops_and_programme_without_javascript(organiser_client):
    page = organiser_client.get("/admin/events/new").get_data(as_text=True)
    assert 'name="pickup_stops-2-place"' in page and "<script" not in page
    day = event_form()["starts_at"][:10]
    data = event_form(
        kind="study_trip",
        starts_at=f"{day}T07:30",
        ends_at=f"{day}T19:30",
        **{
            "pickup_stops-0-place": "Pļaviņas, autoosta",
            "pickup_stops-0-time": "07:30",
            "pickup_stops-1-place": "Aizkraukle, autoosta",
            "pickup_stops-1-time": "08:00",
            "pickup_stops-2-place": "",
            "programme-0-time": "10:00",
            "programme-0-place": "Jaunolaine",
            "programme-0-description": "Tikšanās ar biedrību",
        },
    )
    assert organiser_client.post("/admin/events/new", data=data).status_code == 302
    (trip,) = events()
    assert [
        (s.position, s.place, to_riga(s.departs_at).strftime("%H:%M")) for s in trip.pickup_stops
    ] == [
        (1, "Pļaviņas, autoosta", "07:30"),
        (2, "Aizkraukle, autoosta", "08:00"),
    ]
    assert [p.description for p in trip.programme] == ["Tikšanās ar biedrību"]
    # After saving the edit form offers more empty rows.
    page = organiser_client.get(f"/admin/events/{trip.id}/edit").get_data(as_text=True)
    assert 'name="pickup_stops-4-place"' in page


@pytest.mark.parametrize(
    ("stops", "message"),
    [
        ([("Aizkraukle", "08:00"), ("Pļaviņas", "07:30")], "nevar būt agrāk par iepriekšējo"),
        ([("Aizkraukle", "20:00")], "pēc brauciena beigām"),
        ([("Aizkraukle", "10:30")], "pēc dienas programmas sākuma"),
    ],
)
def test_pickup_stop_times_are_checked(organiser_client, stops, message):
    day = event_form()["starts_at"][:10]
    data = event_form(kind="study_trip", starts_at=f"{day}T07:30", ends_at=f"{day}T19:30")
    data["programme-0-time"], data["programme-0-description"] = "10:00", "Ekskursija"
    for n, (place, at) in enumerate(stops):
        data[f"pickup_stops-{n}-place"], data[f"pickup_stops-{n}-time"] = place, at
    page = organiser_client.post("/admin/events/new", data=data).get_data(as_text=True)
    assert message in page
    assert events() == []


def test_a_stop_of_another_event_is_refused(organiser_client, make_event):
    trip = make_event(kind=EventKind.STUDY_TRIP, stops=[("Pļaviņas", 30)])
    other = make_event(kind=EventKind.STUDY_TRIP, stops=[("Koknese", 30)])
    data = event_form(
        kind="study_trip",
        starts_at=local(trip.starts_at),
        ends_at=local(trip.ends_at),
        **{
            "pickup_stops-0-id": str(other.pickup_stops[0].id),
            "pickup_stops-0-place": "Koknese",
            "pickup_stops-0-time": to_riga(trip.starts_at - timedelta(minutes=30)).strftime(
                "%H:%M"
            ),
        },
    )
    response = organiser_client.post(f"/admin/events/{trip.id}/edit", data=data)
    assert response.status_code == 400
    db.session.refresh(other)
    assert other.pickup_stops[0].event_id == other.id
    assert [s.place for s in trip.pickup_stops] == ["Pļaviņas"]


def test_raising_capacity_promotes_and_lowering_below_confirmed_is_refused(
    organiser_client, make_event, make_registration
):
    event = make_event(capacity=2)
    for _ in range(2):
        make_registration(event)
    waiting = make_registration(event, status=RegistrationStatus.WAITLISTED)
    page = organiser_client.post(
        f"/admin/events/{event.id}/edit", data=edit_data(event, capacity="1")
    ).get_data(as_text=True)
    assert "Jau apstiprināti 2 dalībnieki" in page
    db.session.refresh(event)
    assert event.capacity == 2

    response = organiser_client.post(
        f"/admin/events/{event.id}/edit", data=edit_data(event, capacity="3"), follow_redirects=True
    )
    assert "1 cilvēks saņēma vietu no gaidīšanas saraksta." in response.get_data(as_text=True)
    db.session.refresh(waiting)
    db.session.refresh(event)
    assert waiting.status is RegistrationStatus.CONFIRMED
    assert (event.capacity, event.confirmed_count) == (3, 3)


def test_changing_time_can_notify_participants(
    organiser_client, make_event, make_registration, caught
):
    event = make_event()
    make_registration(event)
    later = event.starts_at + timedelta(hours=1)
    data = edit_data(event, starts_at=local(later), ends_at=local(later + timedelta(hours=2)))
    page = organiser_client.get(f"/admin/events/{event.id}/edit").get_data(as_text=True)
    assert 'name="notify_participants"' in page
    organiser_client.post(f"/admin/events/{event.id}/edit", data=data)
    assert caught["changed"] == []  # not asked to notify
    db.session.refresh(event)
    assert local(event.starts_at) == local(later)
    data = edit_data(event, venue_name="Jauna vieta", notify_participants="y")
    organiser_client.post(f"/admin/events/{event.id}/edit", data=data)
    ((sender_id, kw),) = caught["changed"]
    assert sender_id == event.id and kw["changes"] == {"venue_name"}


def test_publish_unpublish_and_cancel(organiser_client, make_event, make_registration, caught):
    event = make_event(status=EventStatus.DRAFT)
    organiser_client.post(f"/admin/events/{event.id}/publish")
    db.session.refresh(event)
    assert event.is_published and event.published_at is not None
    organiser_client.post(f"/admin/events/{event.id}/unpublish")
    db.session.refresh(event)
    assert event.status is EventStatus.DRAFT
    organiser_client.post(f"/admin/events/{event.id}/publish")
    make_registration(event)
    response = organiser_client.post(f"/admin/events/{event.id}/unpublish", follow_redirects=True)
    assert "Pasākumu atceliet" in response.get_data(as_text=True)

    page = organiser_client.post(f"/admin/events/{event.id}/cancel", data={"reason": ""})
    assert "Uzrakstiet dalībniekiem dažus vārdus" in page.get_data(as_text=True)
    assert caught["cancelled"] == []
    organiser_client.post(
        f"/admin/events/{event.id}/cancel", data={"reason": "Lektors saslima, atvainojamies."}
    )
    db.session.refresh(event)
    assert event.is_cancelled
    assert event.cancellation_reason == "Lektors saslima, atvainojamies."
    assert [sender_id for sender_id, _ in caught["cancelled"]] == [event.id]
    actions = db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == [
        AuditAction.EVENT_PUBLISHED,
        AuditAction.EVENT_UNPUBLISHED,
        AuditAction.EVENT_PUBLISHED,
        AuditAction.EVENT_CANCELLED,
    ]


def test_duplicate_to_another_place_and_day(organiser_client, make_event, make_registration):
    source = make_event(kind=EventKind.STUDY_TRIP, stops=[("Pļaviņas", 30)], capacity=20)
    make_registration(source)
    new_day = to_riga(source.starts_at).date() + timedelta(days=3)
    response = organiser_client.post(
        f"/admin/events/{source.id}/duplicate",
        data={
            "title": "NVO domnīca Pļaviņās",
            "starts_on": new_day.isoformat(),
            "place": "Pļaviņas",
            "venue_name": "Pļaviņu kultūras centrs",
        },
    )
    assert response.status_code == 302
    copy = db.session.scalar(sa.select(Event).where(Event.id != source.id))
    assert copy.status is EventStatus.DRAFT and copy.confirmed_count == 0
    assert to_riga(copy.starts_at).date() == new_day
    assert to_riga(copy.starts_at).time() == to_riga(source.starts_at).time()
    assert copy.place == "Pļaviņas" and copy.venue_name == "Pļaviņu kultūras centrs"
    assert [s.place for s in copy.pickup_stops] == ["Pļaviņas"]
    assert copy.uid != source.uid and copy.slug != source.slug
    page = organiser_client.post(
        f"/admin/events/{source.id}/duplicate",
        data={"title": "Pagātnē", "starts_on": "2020-01-01", "venue_name": "X"},
    ).get_data(as_text=True)
    assert "Sākuma laiks jau ir pagājis" in page, re.findall(r"error-message[^<]*<", page)


def field_errors(page: str, field: str) -> list[str]:
    return re.findall(rf'<p class="error-message" id="{field}-error">([^<]*)</p>', page)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("abc", "Ierakstiet veselu skaitli, piemēram, 20."),
        ("-3", "Vietu skaits nevar būt negatīvs."),
        ("12.5", "Ierakstiet veselu skaitli, piemēram, 20."),
    ],
)
def test_a_wrong_capacity_gets_one_message(organiser_client, typed, message):
    page = organiser_client.post("/admin/events/new", data=event_form(capacity=typed)).get_data(
        as_text=True
    )
    assert field_errors(page, "capacity") == [message]
    assert events() == []


def test_a_date_that_is_not_a_date_gets_one_message(organiser_client):
    page = organiser_client.post("/admin/events/new", data=event_form(starts_at="rīt")).get_data(
        as_text=True
    )
    assert len(field_errors(page, "starts_at")) == 1


@pytest.mark.parametrize("hours", ["0", "337"])
def test_a_reminder_must_be_one_to_336_hours_before(organiser_client, make_event, hours):
    response = organiser_client.post("/admin/events/new", data=event_form(reminder_hours=hours))
    page = response.get_data(as_text=True)
    assert field_errors(page, "reminder_hours") == [
        "Ierakstiet stundu skaitu no 1 līdz 336 (14 dienas) vai atstājiet lauku tukšu, ja "
        "atgādinājums nav vajadzīgs."
    ]
    assert events() == []
    # The rule is the service's too, for whatever else calls it.
    event = make_event()
    details = event_admin.details_of(event)
    details.reminder_hours = int(hours)
    with pytest.raises(event_admin.InvalidEvent) as refused:
        event_admin.update_event(event.id, details, actor=None)
    assert set(refused.value.errors) == {"reminder_hours"}


@pytest.mark.parametrize(("hours", "saved"), [("1", 1), ("336", 336), ("", None)])
def test_a_reminder_from_one_hour_or_none(organiser_client, hours, saved):
    response = organiser_client.post("/admin/events/new", data=event_form(reminder_hours=hours))
    assert response.status_code == 302
    (event,) = events()
    assert event.reminder_hours == saved


def test_an_edit_that_fails_half_way_saves_nothing(organiser_client, make_event, make_registration):
    """More seats (the waiting person promoted) and a new venue are one change: when telling
    the participants fails, neither is saved and nobody is told they have a seat."""
    event = make_event(capacity=1)
    make_registration(event)
    waiting = make_registration(event, status=RegistrationStatus.WAITLISTED)

    def notice_fails(sender, **kw):
        raise RuntimeError("the change notice could not be written")

    signals.event_changed.connect(notice_fails)
    try:
        response = organiser_client.post(
            f"/admin/events/{event.id}/edit",
            data=edit_data(event, capacity="2", venue_name="Jauna vieta", notify_participants="y"),
        )
    finally:
        signals.event_changed.disconnect(notice_fails)
    assert response.status_code == 500
    db.session.refresh(event)
    db.session.refresh(waiting)
    assert (event.capacity, event.confirmed_count, event.venue_name) == (1, 1, "Tautas nams")
    assert waiting.status is RegistrationStatus.WAITLISTED
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0


def test_services_say_not_found_without_http(app):
    """Services know nothing of HTTP: unknown ids are None, or NotFound for actions."""
    from registration.services import NotFound, organisers, participants

    assert event_admin.get_event(999) is None
    assert participants.get_registration(999) is None
    assert organisers.get_organiser(999) is None
    actions = [
        lambda: event_admin.publish(999, actor=None),
        lambda: event_admin.unpublish(999, actor=None),
        lambda: event_admin.cancel_event(999, "Lektors saslima.", actor=None),
        lambda: event_admin.duplicate_event(
            999,
            title="X",
            starts_on=today_riga(),
            place=None,
            venue_name="X",
            venue_address="",
            actor=None,
        ),
        lambda: participants.mark_attendance(999, None, actor=None),
        lambda: participants.cancel(999, actor=None),
        lambda: participants.edit(999, actor=None, first_name="X"),
        lambda: organisers.reset_password(999, "a-long-enough-password", actor=None),
    ]
    for action in actions:
        with pytest.raises(NotFound):
            action()
