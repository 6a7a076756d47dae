"""Without MAIL_SERVER (the default), messages are written to instance/mail/ and logged."""

from __future__ import annotations

import logging
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from registration.mail.sender import send_pending
from registration.models import OutboxState

from .helpers import calendar_of, rows, sign_up, text_of


@pytest.fixture
def app_config() -> dict:
    return {}


def test_without_a_mail_server_messages_become_eml_files(app, make_event, caplog):
    assert app.config["MAIL_SERVER"] is None
    event = make_event(title="Noslēguma pasākums")
    sign_up(event, first_name="Ilze", email="ilze@example.lv")

    with caplog.at_level(logging.INFO, logger="registration.mail.sender"):
        report = send_pending()

    assert report.sent == 1
    row = rows()[0]
    assert row.state is OutboxState.SENT
    files = sorted((Path(app.instance_path) / "mail").glob("*.eml"))
    assert [f.name for f in files] == [f"{row.id:06d}-confirmation.eml"]
    assert str(files[0]) in caplog.text
    assert "ilze@example.lv" not in caplog.text  # the file has it; the log needs it not
    message = message_from_bytes(files[0].read_bytes(), policy=policy.default)
    assert message["To"].addresses[0].addr_spec == "ilze@example.lv"
    assert message["Subject"] == "Pieteikums apstiprināts: Noslēguma pasākums"
    assert "Ilze" in text_of(message)
    calendar, _ = calendar_of(message)
    assert calendar.vevent.uid.value == event.uid


def test_writing_the_same_row_again_replaces_its_file(app, make_event):
    from registration.extensions import db

    sign_up(make_event())
    send_pending()
    row = rows()[0]
    # As after a crash between writing the file and marking the row: it is written again.
    row.state = OutboxState.PENDING
    db.session.commit()
    send_pending()
    assert len(list((Path(app.instance_path) / "mail").glob("*.eml"))) == 1
    assert not list((Path(app.instance_path) / "mail").glob(".tmp-*"))
