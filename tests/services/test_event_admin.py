"""An event's life through the service: creating, editing, publishing, withdrawing,
cancelling and copying to another day, and what each refuses.

The clock is frozen on 1 March 2027, 10:00 in Riga; events are on fixed Riga days and times.
"""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
import sqlalchemy as sa

from registration.extensions import db
from registration.models import (
    AuditAction,
    AuditEntry,
    Event,
    EventKind,
    EventStatus,
    Registration,
    RegistrationStatus,
)
from registration.services import DomainError, NotFound, event_admin, event_details
from registration.timeutil import to_riga
from tests.factories import make_event, make_registration

from .sample_events import (
    NOW,
    audit_actions,
    count,
    outbox_kinds,
    riga,
    study_trip,
    think_tank,
)

pytestmark = pytest.mark.usefixtures("frozen_clock")


# -- creating and editing --------------------------------------------------------------------


def test_a_new_event_is_a_draft_with_its_stops_and_programme(app, organiser):
    event = event_admin.create_event(study_trip(reminder_hours=None), actor=organiser)
    db.session.expire_all()
    event = db.session.get(Event, event.id)
    assert (event.status, event.confirmed_count, event.sequence) == (EventStatus.DRAFT, 0, 0)
    assert [(s.position, s.place, to_riga(s.departs_at).time()) for s in event.pickup_stops] == [
        (1, "Pļaviņas, autoosta", time(7, 30)),
        (2, "Aizkraukle, autoosta", time(8, 0)),
    ]
    assert [(p.position, p.description) for p in event.programme] == [(1, "Tikšanās ar biedrību")]
    # "No reminder" stays no reminder (the column's default is 24 hours).
    assert event.reminder_hours is None
    assert audit_actions() == [AuditAction.EVENT_CREATED]


def test_invalid_details_create_nothing(app, organiser):
    with pytest.raises(event_details.InvalidEvent) as refused:
        event_admin.create_event(think_tank(title=""), actor=organiser)
    assert refused.value.errors == {"title": "Ierakstiet nosaukumu."}
    assert (count(Event), count(AuditEntry)) == (0, 0)


def test_an_edit_says_what_changed_and_an_edit_of_nothing_writes_nothing(app, organiser):
    event = make_event(starts_at=riga(10))
    unchanged = event_admin.update_event(event.id, event_details.details_of(event), actor=organiser)
    assert unchanged.changed == set()
    assert audit_actions() == []

    details = event_details.details_of(event)
    details.title, details.slug = "Cits nosaukums", "cits-nosaukums"
    update = event_admin.update_event(event.id, details, actor=organiser)
    assert update.changed == {"title", "slug"}
    entry = db.session.scalar(sa.select(AuditEntry))
    assert (entry.action, entry.details) == (
        AuditAction.EVENT_CHANGED,
        {"fields": ["slug", "title"]},
    )


def test_participants_are_told_of_a_new_time_only_when_asked(app, organiser):
    event = make_event(starts_at=riga(10))
    person = make_registration(event)
    make_registration(event, status=RegistrationStatus.CANCELLED)
    details = event_details.details_of(event)
    details.starts_at, details.ends_at = riga(11), riga(14)
    quiet = event_admin.update_event(event.id, details, actor=organiser)
    assert (quiet.changed, quiet.notified, outbox_kinds()) == ({"starts_at", "ends_at"}, False, [])

    details.venue_name = "Cita zāle"
    told = event_admin.update_event(event.id, details, actor=organiser, notify=True)
    assert told.notified
    assert outbox_kinds() == [("event_changed", person.email)]


def test_a_new_title_or_a_draft_tells_nobody(app, organiser):
    event = make_event(starts_at=riga(10))
    make_registration(event)
    details = event_details.details_of(event)
    details.title = "Jauns nosaukums"
    assert not event_admin.update_event(event.id, details, actor=organiser, notify=True).notified
    draft = make_event(starts_at=riga(10), status=EventStatus.DRAFT)
    details = event_details.details_of(draft)
    details.venue_name = "Cita zāle"
    assert not event_admin.update_event(draft.id, details, actor=organiser, notify=True).notified
    assert outbox_kinds() == []


def test_an_unknown_event_is_not_found(app, organiser):
    assert event_admin.get_event(999) is None
    with pytest.raises(NotFound):
        event_admin.update_event(999, think_tank(), actor=organiser)


# -- publishing, withdrawing, cancelling -----------------------------------------------------


def test_a_draft_is_published_once(app, organiser):
    draft = make_event(starts_at=riga(10), status=EventStatus.DRAFT)
    published = event_admin.publish(draft.id, actor=organiser)
    assert published.is_published and published.published_at == NOW
    with pytest.raises(DomainError) as refused:
        event_admin.publish(draft.id, actor=organiser)
    assert refused.value.message == "Pasākums jau ir publicēts."
    assert audit_actions() == [AuditAction.EVENT_PUBLISHED]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"status": EventStatus.CANCELLED},
            "Atceltu pasākumu nevar publicēt vēlreiz. Izveidojiet tā kopiju.",
        ),
        (
            {"status": EventStatus.DRAFT, "starts_at": NOW - timedelta(days=2)},
            "Pasākums jau ir beidzies, tāpēc to nevar publicēt.",
        ),
    ],
)
def test_a_cancelled_or_ended_event_is_not_published(app, organiser, fields, message):
    event = make_event(**fields)
    with pytest.raises(DomainError) as refused:
        event_admin.publish(event.id, actor=organiser)
    assert refused.value.message == message
    db.session.refresh(event)
    assert event.status is fields["status"]


def test_a_draft_that_breaks_a_rule_is_not_published(app, organiser):
    draft = make_event(starts_at=riga(10), status=EventStatus.DRAFT, kind=EventKind.STUDY_TRIP)
    with pytest.raises(event_details.InvalidEvent) as refused:
        event_admin.publish(draft.id, actor=organiser)
    assert set(refused.value.errors) == {"pickup_stops"}
    db.session.refresh(draft)
    assert draft.status is EventStatus.DRAFT


def test_withdrawing_is_refused_once_anyone_has_signed_up(app, organiser):
    event = make_event(starts_at=riga(10))
    make_registration(event, status=RegistrationStatus.WAITLISTED)
    with pytest.raises(DomainError) as refused:
        event_admin.unpublish(event.id, actor=organiser)
    assert "Pasākumu atceliet" in refused.value.message
    db.session.refresh(event)
    assert event.is_published


def test_withdrawing_is_allowed_when_everyone_cancelled(app, organiser):
    event = make_event(starts_at=riga(10))
    make_registration(event, status=RegistrationStatus.CANCELLED)
    assert event_admin.unpublish(event.id, actor=organiser).status is EventStatus.DRAFT
    with pytest.raises(DomainError) as refused:
        event_admin.unpublish(event.id, actor=organiser)
    assert refused.value.message == "Atsaukt no publicēšanas var tikai publicētu pasākumu."


def test_cancelling_tells_everyone_registered_why(app, organiser):
    event = make_event(starts_at=riga(10))
    confirmed = make_registration(event)
    waiting = make_registration(event, status=RegistrationStatus.WAITLISTED)
    make_registration(event, status=RegistrationStatus.CANCELLED)
    cancelled = event_admin.cancel_event(event.id, "  Lektors saslima.  ", actor=organiser)
    assert cancelled.is_cancelled and cancelled.cancelled_at == NOW
    assert cancelled.cancellation_reason == "Lektors saslima."
    assert outbox_kinds() == [
        ("event_cancelled", confirmed.email),
        ("event_cancelled", waiting.email),
    ]
    assert audit_actions() == [AuditAction.EVENT_CANCELLED]


@pytest.mark.parametrize(
    ("fields", "reason", "message"),
    [
        ({"status": EventStatus.CANCELLED}, "Lektors saslima.", "Pasākums jau ir atcelts."),
        (
            {"status": EventStatus.DRAFT},
            "Lektors saslima.",
            "Atcelt var tikai publicētu pasākumu. Melnrakstu neviens neredz.",
        ),
        (
            {"starts_at": NOW - timedelta(days=2)},
            "Lektors saslima.",
            "Pasākums jau ir beidzies, tāpēc to nevar atcelt.",
        ),
        ({}, "  Nē. ", "Uzrakstiet dalībniekiem dažus vārdus par iemeslu."),
    ],
)
def test_cancelling_is_refused_with_a_reason(app, organiser, fields, reason, message):
    event = make_event(**{"starts_at": riga(10), **fields})
    make_registration(event)
    with pytest.raises(DomainError) as refused:
        event_admin.cancel_event(event.id, reason, actor=organiser)
    assert refused.value.message == message
    db.session.refresh(event)
    assert event.status is fields.get("status", EventStatus.PUBLISHED)
    assert (outbox_kinds(), audit_actions()) == ([], [])


@pytest.mark.parametrize("action", ["publish", "unpublish"])
def test_publishing_an_unknown_event_is_not_found(app, organiser, action):
    with pytest.raises(NotFound):
        getattr(event_admin, action)(999, actor=organiser)
    with pytest.raises(NotFound):
        event_admin.cancel_event(999, "Lektors saslima.", actor=organiser)


# -- copying to another day ------------------------------------------------------------------


def test_shifting_by_days_keeps_the_riga_wall_clock_across_dst(app):
    # 27 March 2027 is the last winter day; from 28 March Riga is UTC+3.
    winter = riga(10, day=date(2027, 3, 27))
    summer = event_admin.shift_to_day(winter, 1)
    assert to_riga(summer).time() == time(10, 0)
    assert summer - winter == timedelta(hours=23)
    assert event_admin.shift_to_day(summer, -1) == winter
    # And back in autumn: 31 October 2027 has 25 hours.
    autumn = riga(23, 30, day=date(2027, 10, 30))
    assert event_admin.shift_to_day(autumn, 1) - autumn == timedelta(hours=25)


def test_a_trip_copied_across_the_spring_change_keeps_its_local_times(app, organiser):
    source = event_admin.create_event(
        study_trip(
            registration_opens_at=riga(9, day=date(2027, 3, 2)),
            registration_closes_at=riga(18, day=date(2027, 3, 9)),
        ),
        actor=organiser,
    )
    make_registration(source)
    copy = event_admin.duplicate_event(
        source.id,
        title="  Pieredzes brauciens uz Sēliju ",
        starts_on=date(2027, 4, 7),
        place="Seces pagasts",
        venue_name=" Sēlijas sēta ",
        venue_address="",
        actor=organiser,
    )
    db.session.expire_all()
    copy = db.session.get(Event, copy.id)

    def local(moment):
        moment = to_riga(moment)
        return moment.date().isoformat(), moment.strftime("%H:%M")

    assert (copy.status, copy.confirmed_count, copy.title, copy.venue_name) == (
        EventStatus.DRAFT,
        0,
        "Pieredzes brauciens uz Sēliju",
        "Sēlijas sēta",
    )
    assert [local(copy.starts_at), local(copy.ends_at)] == [
        ("2027-04-07", "07:30"),
        ("2027-04-07", "19:30"),
    ]
    assert [local(copy.registration_opens_at), local(copy.registration_closes_at)] == [
        ("2027-03-30", "09:00"),
        ("2027-04-06", "18:00"),
    ]
    assert [(s.place, local(s.departs_at)) for s in copy.pickup_stops] == [
        ("Pļaviņas, autoosta", ("2027-04-07", "07:30")),
        ("Aizkraukle, autoosta", ("2027-04-07", "08:00")),
    ]
    assert [local(p.starts_at) for p in copy.programme] == [("2027-04-07", "10:00")]
    assert copy.slug == "pieredzes-brauciens-uz-seliju-2027-04-07"
    assert copy.uid != source.uid
    assert (
        db.session.scalar(sa.select(sa.func.count()).where(Registration.event_id == copy.id)) == 0
    )
    entry = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (entry.action, entry.event_id, entry.details["copied_from_id"]) == (
        AuditAction.EVENT_DUPLICATED,
        copy.id,
        source.id,
    )


def copy(event_id: int, organiser, **overrides):
    """`duplicate_event` with a title, a day (20 March 2027) and a venue unless told."""
    values = {
        "title": "Kopija",
        "starts_on": date(2027, 3, 20),
        "place": None,
        "venue_name": "Skola",
        "venue_address": "",
    }
    return event_admin.duplicate_event(event_id, actor=organiser, **{**values, **overrides})


def test_a_copy_into_the_past_is_refused_on_the_day_field(app, organiser):
    source = make_event(starts_at=riga(10))
    with pytest.raises(event_details.InvalidEvent) as refused:
        copy(source.id, organiser, starts_on=date(2027, 2, 28))
    assert refused.value.errors == {
        "starts_on": "Sākuma laiks jau ir pagājis. Pārbaudiet datumu un laiku."
    }
    assert count(Event) == 1


def test_a_copy_without_a_title_or_a_place_is_refused(app, organiser):
    source = make_event(starts_at=riga(10))
    with pytest.raises(event_details.InvalidEvent) as refused:
        copy(source.id, organiser, title="  ", venue_name="", venue_address=" ")
    assert set(refused.value.errors) == {"title", "venue_name"}
    assert count(Event) == 1


def test_copying_an_unknown_event_is_not_found(app, organiser):
    with pytest.raises(NotFound):
        copy(999, organiser)
