"""What a person types in free text (needs, comment, a place under "other") never reaches
mail to the participant, so the form cannot carry someone's text to a stranger; only
organisers read it. Checked on every message a participant can get."""

from __future__ import annotations

from datetime import timedelta

import pytest

from registration import signals
from registration.extensions import db
from registration.mail import messages
from registration.mail.sender import send_pending
from registration.models import RegistrationStatus

from .helpers import rows, sign_up

NEEDS = "NEEDS-visit-spam.example"
COMMENT = "COMMENT-buy-now"
PLACE = "PLACE-cheap-pills"


def participant_messages(make_event):
    event = make_event(
        capacity=None,
        confirm_within_hours=24,
        notify_organiser=True,
        is_online=True,
        online_url="https://meet.example/x",
    )
    typed = {"needs": NEEDS, "comment": COMMENT, "place": "other", "place_other": PLACE}
    seated = sign_up(event, confirm_by=event.starts_at - timedelta(hours=1), **typed)
    waiting = sign_up(event, status=RegistrationStatus.WAITLISTED, **typed)
    messages.queue_confirmation(seated)
    messages.queue_promoted(seated)
    messages.queue_duplicate(seated)
    messages.queue_duplicate(waiting)
    messages.queue_reminder(seated, "reminder:test")
    messages.queue_cancelled(seated)
    messages.queue_event_changed(event, {"starts_at"})
    messages.queue_participant_message(event, "all", "Sveiki", "Teksts")
    signals.event_cancelled.send(event)
    db.session.commit()
    send_pending()  # the messages a booking causes are written as they are sent
    return rows()


@pytest.mark.parametrize("app_config", [{"MAIL_UNCONFIRMED_PER_HOUR": None}])
def test_needs_comments_and_typed_places_stay_out_of_mail_to_the_participant(app, make_event):
    found = participant_messages(make_event)
    kinds = {r.kind for r in found}
    assert kinds >= {
        "confirm_request", "confirmation", "waitlisted", "promoted", "duplicate", "reminder",
        "cancelled", "event_changed", "participant_message", "event_cancelled",
        "organiser_notice",
    }  # fmt: skip
    for row in found:
        text = row.text_body + (row.html_body or "")
        typed = [word for word in (NEEDS, COMMENT, PLACE) if word in text]
        if row.kind == "organiser_notice":
            assert typed == [NEEDS, COMMENT, PLACE]  # the organisers do read them
        else:
            assert typed == [], row.kind
