"""However much is queued, at most MAIL_PARTICIPANT_LIMIT messages to participants leave."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from registration.mail.ceiling import WAITING
from registration.mail.sender import send_pending
from registration.models import OutboxState
from registration.timeutil import frozen_time

from .helpers import rows, sign_up
from .smtp import smtp_config

NOON = datetime(2027, 3, 10, 10, 0, tzinfo=UTC)


@pytest.fixture
def app_config(smtp_server):
    return smtp_config(
        smtp_server.port,
        RATELIMIT_ENABLED=True,
        MAIL_PARTICIPANT_LIMIT="3 per hour",
        MAIL_BATCH_SIZE=2,
    )


def test_the_rest_waits_for_the_next_hour(app, smtp_server, make_event):
    with frozen_time(NOON):
        event = make_event(capacity=None, notify_organiser=True, starts_at=NOON + timedelta(days=7))
        for n in range(4):
            sign_up(event, email=f"p{n}@example.lv")
        send_pending()
    received = smtp_server.messages()
    to_participants = [m for m in received if m["To"].addresses[0].domain == "example.lv"]
    # The organiser's four notices are not counted; three confirmations leave, one waits.
    assert len(to_participants) == 3
    assert len(received) == 3 + 4
    [waiting] = [r for r in rows() if r.state is OutboxState.PENDING]
    assert waiting.last_error == WAITING
    assert waiting.attempts == 0
    assert waiting.next_attempt_at == NOON + timedelta(hours=1)

    with frozen_time(NOON + timedelta(hours=1)):
        send_pending()
    assert len(smtp_server.messages()) == 8
    assert {r.state for r in rows()} == {OutboxState.SENT}
