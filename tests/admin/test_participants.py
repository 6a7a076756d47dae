"""Participants by hand, the waiting list, check-in, messages and the figures."""

from __future__ import annotations

import csv
import io

import sqlalchemy as sa

from registration.extensions import db
from registration.models import (
    Attendance,
    AuditAction,
    AuditEntry,
    Registration,
    RegistrationSource,
    RegistrationStatus,
)
from registration.models.outbox import OutboxMessage
from registration.timeutil import now_utc


def person(**overrides) -> dict:
    data = {
        "first_name": "Ņina",
        "last_name": "Šķēle",
        "email": "nina@example.lv",
        "phone": "26 123 456",
        "place": "Seces pagasts",
        "language": "lv",
    }
    data.update(overrides)
    return data


def registrations() -> list[Registration]:
    return list(db.session.scalars(sa.select(Registration).order_by(Registration.id)))


def test_add_by_hand_then_search_and_filter(organiser_client, make_event):
    event = make_event(capacity=1)
    assert (
        organiser_client.post(
            f"/admin/events/{event.id}/participants/new", data=person()
        ).status_code
        == 302
    )
    organiser_client.post(
        f"/admin/events/{event.id}/participants/new",
        data=person(first_name="Jānis", last_name="Ozols", email="janis@example.lv"),
    )
    nina, janis = registrations()
    assert nina.status is RegistrationStatus.CONFIRMED
    assert nina.source is RegistrationSource.ORGANISER and nina.phone == "+37126123456"
    assert janis.status is RegistrationStatus.WAITLISTED
    url = f"/admin/events/{event.id}/participants"
    organiser_client.get(url)  # shows (and so clears) the messages about the additions
    page = organiser_client.get(url, query_string={"q": "skele"}).get_data(as_text=True)
    assert "Šķēle" in page and "Ozols" not in page
    page = organiser_client.get(url, query_string={"status": "waiting"}).get_data(as_text=True)
    assert "Ozols" in page and "Šķēle Ņina" not in page


def test_a_repeated_address_and_bad_input_are_explained(organiser_client, make_event):
    event = make_event()
    organiser_client.post(f"/admin/events/{event.id}/participants/new", data=person())
    url = f"/admin/events/{event.id}/participants/new"
    page = organiser_client.post(url, data=person()).get_data(as_text=True)
    assert "jau ir pieteikums" in page
    page = organiser_client.post(url, data=person(email="nav-adrese", last_name="")).get_data(
        as_text=True
    )
    assert "Ierakstiet uzvārdu." in page and "ievadiet derīgu e-pasta adresi" in page
    page = organiser_client.post(url, data=person(email="x@y.lv", phone="12")).get_data(
        as_text=True
    )
    assert "8 cipari" in page
    page = organiser_client.post(url, data=person(email="z@y.lv", place="Marss")).get_data(
        as_text=True
    )
    assert "Izvēlieties kādu no saraksta iespējām." in page
    assert len(registrations()) == 1


def test_people_without_email_can_be_added_by_phone(organiser_client, make_event):
    event = make_event(capacity=5)
    url = f"/admin/events/{event.id}/participants/new"
    for name in ("Zenta", "Valdis"):
        response = organiser_client.post(url, data=person(first_name=name, email=""))
        assert response.status_code == 302
    people = registrations()
    assert [p.first_name for p in people] == ["Zenta", "Valdis"]
    assert all(p.status is RegistrationStatus.CONFIRMED and p.email == "" for p in people)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0


def test_waiting_list_respects_capacity_unless_overridden(
    organiser_client, make_event, make_registration
):
    event = make_event(capacity=1)
    make_registration(event)
    waiting = make_registration(event, status=RegistrationStatus.WAITLISTED)
    response = organiser_client.post(
        f"/admin/registrations/{waiting.id}/confirm", follow_redirects=True
    )
    assert 'class="flash flash-error"' in response.get_data(as_text=True)
    db.session.refresh(waiting)
    assert waiting.status is RegistrationStatus.WAITLISTED
    organiser_client.post(
        f"/admin/registrations/{waiting.id}/confirm", data={"override_capacity": "y"}
    )
    db.session.refresh(waiting)
    db.session.refresh(event)
    assert waiting.status is RegistrationStatus.CONFIRMED
    assert (event.capacity, event.confirmed_count) == (2, 2)


def test_edit_note_and_cancel(organiser_client, make_event, make_registration):
    event = make_event(capacity=1)
    first = make_registration(event, first_name="Anna")
    waiting = make_registration(event, status=RegistrationStatus.WAITLISTED)
    data = {
        "first_name": "Anna",
        "last_name": "Kalniņa",
        "phone": "",
        "place": "Aizkraukle",
        "organiser_note": "Atbrauks ar savu auto.",
    }
    assert organiser_client.post(f"/admin/registrations/{first.id}", data=data).status_code == 302
    db.session.refresh(first)
    assert (first.last_name, first.organiser_note) == ("Kalniņa", "Atbrauks ar savu auto.")
    assert "Atcelt pieteikumu" in organiser_client.get(
        f"/admin/registrations/{first.id}/cancel"
    ).get_data(as_text=True)
    organiser_client.post(f"/admin/registrations/{first.id}/cancel")
    db.session.refresh(first)
    db.session.refresh(waiting)
    assert first.status is RegistrationStatus.CANCELLED
    assert waiting.status is RegistrationStatus.CONFIRMED
    entry = db.session.scalar(
        sa.select(AuditEntry).where(AuditEntry.action == AuditAction.REGISTRATION_CHANGED)
    )
    assert entry.details["fields"] == ["last_name", "organiser_note", "place"]


def test_check_in_and_walk_in(organiser_client, make_event, make_registration):
    event = make_event(capacity=1)
    anna = make_registration(event, first_name="Anna", last_name="Ābola")
    waiting = make_registration(event, first_name="Guna", status=RegistrationStatus.WAITLISTED)
    page = organiser_client.get(f"/admin/events/{event.id}/checkin").get_data(as_text=True)
    assert "Ābola Anna" in page and 'value="attended"' in page
    organiser_client.post(
        f"/admin/events/{event.id}/checkin/{anna.id}", data={"attendance": "attended"}
    )
    db.session.refresh(anna)
    assert anna.attendance is Attendance.ATTENDED and anna.checked_in_at is not None
    assert (
        organiser_client.post(
            f"/admin/events/{event.id}/checkin/{anna.id}", data={"attendance": "maybe"}
        ).status_code
        == 400
    )
    organiser_client.post(f"/admin/events/{event.id}/checkin/{waiting.id}/seat")
    db.session.refresh(waiting)
    assert waiting.status is RegistrationStatus.CONFIRMED
    assert waiting.attendance is Attendance.ATTENDED
    organiser_client.post(
        f"/admin/events/{event.id}/checkin/walk-in",
        data={
            "first_name": "Pēteris",
            "last_name": "Liepa",
            "email": "peteris@example.lv",
            "place": "other",
            "place_other": "Rīga",
        },
    )
    walk_in = db.session.scalar(sa.select(Registration).where(Registration.first_name == "Pēteris"))
    assert walk_in.source is RegistrationSource.WALK_IN
    assert walk_in.status is RegistrationStatus.CONFIRMED
    assert walk_in.attendance is Attendance.ATTENDED
    page = organiser_client.get(f"/admin/events/{event.id}/checkin?q=liepa").get_data(as_text=True)
    assert "Liepa Pēteris" in page and "Ābola Anna" not in page


def test_write_to_participants_through_the_outbox(organiser_client, make_event, make_registration):
    event = make_event()
    make_registration(event, email="a@example.lv")
    make_registration(event, email="b@example.lv", status=RegistrationStatus.WAITLISTED)
    page = organiser_client.post(
        f"/admin/events/{event.id}/message",
        data={"audience": "confirmed", "subject": "", "body": ""},
    ).get_data(as_text=True)
    assert "Ierakstiet tematu." in page
    response = organiser_client.post(
        f"/admin/events/{event.id}/message",
        data={"audience": "confirmed", "subject": "Ņemiet līdzi lietussargu", "body": "Līs."},
        follow_redirects=True,
    )
    assert "Ziņa tiks nosūtīta 1 cilvēkam." in response.get_data(as_text=True)
    messages = db.session.scalars(sa.select(OutboxMessage)).all()
    assert [m.recipient for m in messages if "lietussargu" in m.subject] == ["a@example.lv"]
    entry = db.session.scalar(
        sa.select(AuditEntry).where(AuditEntry.action == AuditAction.MESSAGE_SENT)
    )
    assert entry.details["count"] == 1


def test_figures_per_event_and_project(organiser_client, make_event, make_registration):
    first, second = make_event(), make_event()
    make_registration(first, email="a@example.lv", attendance=Attendance.ATTENDED)
    make_registration(first, email="b@example.lv", attendance=Attendance.ABSENT, place="Koknese")
    make_registration(second, email="A@example.lv", email_key="a@example.lv")
    make_registration(second, email="c@example.lv", status=RegistrationStatus.CANCELLED)
    page = organiser_client.get("/admin/overview").get_data(as_text=True)
    assert "50.0%" in page
    body = organiser_client.get("/admin/overview.csv").get_data().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body), delimiter=";"))
    total = next(row for row in rows if row[1:2] == ["Kopā"])
    assert total[2:7] == ["4", "3", "0", "1", "1"]
    unique = next(row for row in rows if row[1:2] == ["Dažādi apstiprinātie cilvēki"])
    assert unique[2] == "2"
    places = {
        row[0]: row[1:]
        for row in rows[
            rows.index(["Dzīvesvieta", "Apstiprināti", "Ir klāt", "Dažādi cilvēki"]) + 1 :
        ]
    }
    assert places["Skrīveru pagasts"] == ["2", "1", "1"]
    assert places["Koknese"] == ["1", "0", "1"]
    page = organiser_client.get(f"/admin/events/{first.id}/overview").get_data(as_text=True)
    assert "Koknese" in page


def test_people_without_email_count_in_unique_people(
    organiser_client, make_event, make_registration
):
    """Phone sign-ups and walk-ins have no email address; each is still somebody."""
    event = make_event()
    make_registration(event, email="a@example.lv", place="Koknese", attendance=Attendance.ATTENDED)
    # The data retention erased this one: nobody can tell who it was, so it is unknown.
    make_registration(
        make_event(), email="", email_key=None, place="Koknese", anonymised_at=now_utc()
    )
    for name in ("Zenta", "Valdis"):
        response = organiser_client.post(
            f"/admin/events/{event.id}/checkin/walk-in",
            data={"first_name": name, "last_name": "Kalna", "place": "Koknese"},
        )
        assert response.status_code == 302
    organiser_client.post(
        f"/admin/events/{event.id}/participants/new",
        data=person(email="", place="Koknese", phone="26 000 111"),
    )
    assert [r.email_key for r in registrations()] == ["a@example.lv", None, None, None, None]

    body = organiser_client.get("/admin/overview.csv").get_data().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body), delimiter=";"))
    unique = {row[1]: row[2] for row in rows if row[1:2] and row[1].startswith("Dažādi")}
    assert unique == {
        "Dažādi apstiprinātie cilvēki": "4 + nav zināms (anonimizēto pieteikumu: 1)",
        "Dažādi cilvēki, kas ieradās": "3",
    }
    koknese = next(row for row in rows if row[:1] == ["Koknese"])
    assert koknese[1:] == ["5", "3", "4 + nav zināms (anonimizēto pieteikumu: 1)"]


def test_anonymised_people_are_unknown_not_nobody(organiser_client, make_event, make_registration):
    """An event whose data retention erased everyone had people, just not known ones."""
    event = make_event()
    for attendance in (Attendance.ATTENDED, Attendance.ATTENDED, None):
        make_registration(
            event, email="", email_key=None, place="Koknese", attendance=attendance,
            anonymised_at=now_utc(),
        )  # fmt: skip
    unknown_three = "nav zināms (anonimizēto pieteikumu: 3)"
    unknown_two = "nav zināms (anonimizēto pieteikumu: 2)"

    page = organiser_client.get(f"/admin/events/{event.id}/overview").get_data(as_text=True)
    assert f"<dt>Dažādi apstiprinātie cilvēki</dt><dd>{unknown_three}</dd>" in page
    assert f"<dt>Dažādi cilvēki, kas ieradās</dt><dd>{unknown_two}</dd>" in page
    assert f'<td class="num">{unknown_three}</td>' in page

    body = organiser_client.get(f"/admin/events/{event.id}/overview.csv").get_data()
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    unique = {row[1]: row[2] for row in rows if row[1:2] and row[1].startswith("Dažādi")}
    assert unique == {
        "Dažādi apstiprinātie cilvēki": unknown_three,
        "Dažādi cilvēki, kas ieradās": unknown_two,
    }
    assert next(row for row in rows if row[:1] == ["Koknese"])[1:] == ["3", "2", unknown_three]


def test_names_in_messages_are_text_not_markup(organiser_client, make_event, make_registration):
    """A name is shown as typed in the confirmation messages, never as HTML. Names with
    markup are refused by the forms now; registrations written before can still hold one."""
    event = make_event(capacity=1)
    make_registration(event)
    bold = make_registration(event, first_name="<b>P0</b>", status=RegistrationStatus.WAITLISTED)
    italic = make_registration(event, first_name="<i>W1</i>", status=RegistrationStatus.WAITLISTED)
    cancelled = organiser_client.post(
        f"/admin/registrations/{bold.id}/cancel", follow_redirects=True
    ).get_data(as_text=True)
    confirmed = organiser_client.post(
        f"/admin/registrations/{italic.id}/confirm",
        data={"override_capacity": "y"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "&lt;b&gt;P0&lt;/b&gt;" in cancelled and "<b>P0</b>" not in cancelled
    assert "Pieteikums atcelts" in cancelled
    assert "&lt;i&gt;W1&lt;/i&gt;" in confirmed and "<i>W1</i>" not in confirmed
    assert "tagad ir vieta" in confirmed

    for url, data in (
        (f"/admin/events/{event.id}/participants/new", person(first_name="<u>Vanda</u>")),
        (
            f"/admin/events/{event.id}/checkin/walk-in",
            {"first_name": "<u>Vanda</u>", "last_name": "Kalna", "place": "Koknese"},
        ),
    ):
        refused = organiser_client.post(url, data=data).get_data(as_text=True)
        assert "tikai burtus, atstarpes" in refused
        assert "&lt;u&gt;Vanda&lt;/u&gt;" in refused and "<u>Vanda</u>" not in refused
    assert (
        db.session.scalar(sa.select(Registration).where(Registration.first_name == "<u>Vanda</u>"))
        is None
    )


def test_a_form_without_the_email_box_means_no_email(organiser_client, make_event):
    """A POST that leaves the field out (an old page, a script) is not a server error."""
    event = make_event()
    data = person()
    del data["email"]
    response = organiser_client.post(f"/admin/events/{event.id}/participants/new", data=data)
    assert response.status_code == 302
    response = organiser_client.post(
        f"/admin/events/{event.id}/checkin/walk-in",
        data={"first_name": "Pēteris", "last_name": "Liepa", "place": "Koknese"},
    )
    assert response.status_code == 302
    people = registrations()
    assert [(p.first_name, p.email, p.email_key) for p in people] == [
        ("Ņina", "", None),
        ("Pēteris", "", None),
    ]


def test_queue_positions_agree_with_the_booking_rules(app, make_event, make_registration):
    """The participant table numbers the whole queue in one query; the booking rules answer
    for one person. Both order by (queued_at, id), ties included."""
    from registration.services import booking, exports

    event = make_event(capacity=0)
    same_moment = now_utc()
    queue = [
        make_registration(event, status=RegistrationStatus.WAITLISTED, queued_at=same_moment)
        for _ in range(3)
    ]
    queue.insert(
        0,
        make_registration(
            event,
            status=RegistrationStatus.WAITLISTED,
            queued_at=same_moment.replace(year=same_moment.year - 1),
        ),
    )
    positions = exports.waiting_positions(event)
    assert positions == {r.id: booking.waiting_position(r) for r in queue}
    assert sorted(positions.values()) == [1, 2, 3, 4]


def test_erasing_a_persons_data_on_request(organiser_client, make_event, make_registration):
    event = make_event(capacity=1)
    person_ = make_registration(
        event,
        first_name="Velta",
        last_name="Bērziņa",
        email="velta@example.lv",
        phone="+37126111222",
        needs="Ratiņkrēsls",
        attendance=Attendance.ATTENDED,
    )
    waiting = make_registration(event, status=RegistrationStatus.WAITLISTED)
    db.session.add(
        OutboxMessage(
            state="sent",
            kind="confirmation",
            recipient="velta@example.lv",
            subject="x",
            text_body="Labdien, Velta!",
            message_id="<x@y>",
            attempts=1,
            next_attempt_at=event.starts_at,
            registration_id=person_.id,
            event_id=event.id,
        )
    )
    db.session.commit()
    page = organiser_client.get(f"/admin/registrations/{person_.id}/erase").get_data(as_text=True)
    assert "Velta Bērziņa" in page
    assert db.session.get(Registration, person_.id).first_name == "Velta"  # GET changes nothing

    assert organiser_client.post(f"/admin/registrations/{person_.id}/erase").status_code == 302
    erased = db.session.get(Registration, person_.id)
    values = (erased.first_name, erased.last_name, erased.email, erased.phone, erased.needs)
    assert values == ("", "", "", "", "")
    assert erased.email_key is None and erased.is_anonymised
    assert erased.status is RegistrationStatus.CANCELLED
    assert erased.place == "Skrīveru pagasts"  # still counted by place
    assert db.session.get(Registration, waiting.id).status is RegistrationStatus.CONFIRMED
    left = db.session.scalars(sa.select(OutboxMessage.recipient)).all()
    assert "velta@example.lv" not in left  # her mail, also the cancellation, is gone
    assert left == [waiting.email]  # the person who got the seat is told
    entry = db.session.scalar(
        sa.select(AuditEntry).where(AuditEntry.action == AuditAction.REGISTRATION_CHANGED)
    )
    assert entry.details["fields"] == ["erased"]
    participants_page = organiser_client.get(f"/admin/events/{event.id}/participants")
    assert "Velta" not in participants_page.get_data(as_text=True)
