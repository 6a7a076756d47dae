"""After the event: writing to those who came and to those who did not."""

from __future__ import annotations

from registration.extensions import db
from registration.mail import messages
from registration.mail.sender import send_pending
from registration.models import Attendance, RegistrationStatus

from .helpers import sign_up


def test_a_message_goes_to_those_who_attended_or_to_those_who_did_not_come(
    app, smtp_server, make_event
):
    event = make_event(capacity=3)
    came = sign_up(event, email="anna@example.lv")
    stayed_home = sign_up(event, email="janis@example.lv", first_name="Jānis")
    marked_absent = sign_up(event, email="liga@example.lv", first_name="Līga")
    sign_up(event, email="gaida@example.lv", status=RegistrationStatus.WAITLISTED)
    came.attendance = Attendance.ATTENDED
    marked_absent.attendance = Attendance.ABSENT
    db.session.commit()
    send_pending()
    before = len(smtp_server.received)

    assert messages.audience_sizes(event) == {
        "confirmed": 3,
        "waitlisted": 1,
        "all": 4,
        "attended": 1,
        "absent": 2,
    }
    assert messages.queue_participant_message(event, "attended", "Paldies", "Paldies!") == 1
    assert messages.queue_participant_message(event, "absent", "Žēl", "Pietrūka jūsu.") == 2
    db.session.commit()
    send_pending()

    received = [
        (str(r.message["Subject"]), r.message["To"].addresses[0].addr_spec)
        for r in smtp_server.received[before:]
    ]
    assert received == [
        ("Paldies", "anna@example.lv"),
        ("Žēl", stayed_home.email),
        ("Žēl", marked_absent.email),
    ]
