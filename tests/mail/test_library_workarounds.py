"""What Flask-Mail's message builder still gets wrong, which is why `registration.mail.mime`
builds messages with the standard library's `EmailMessage` instead.

Each test asserts that Flask-Mail still has the bug, reading its output with the standard
library's parser as a mail program would. The day one fails, Flask-Mail has been fixed:
check the fix, consider building messages with `flask_mail.Message` again, and remove the
test. (That our own messages get these names right is tested in test_delivery.py.)
"""

from __future__ import annotations

from email import message_from_bytes, policy

import pytest
from flask_mail import Message

ADDRESS = "info@partneriba.example"
LONG_NAME = (
    "Biedrība „Lauku partnerība” — ļoti garš nosaukums, kas neietilpst vienā rindā, "
    "Aizkraukles novads"
)


def flask_mail_headers(sender_name: str, recipient_name: str):
    message = Message(
        subject="Apstiprinājums",
        sender=(sender_name, ADDRESS),
        recipients=[(recipient_name, "anna@example.lv")],
        body="Sveiki!",
    )
    return message_from_bytes(message.as_bytes(), policy=policy.default)


@pytest.mark.parametrize("name", [LONG_NAME, "Kalniņa, Anna"])
def test_flask_mail_loses_the_senders_address_behind_a_long_or_comma_name(app, name):
    """A long sender name, or one with a comma and a Latvian letter, is written so that the
    From header has no address left in it."""
    sender = flask_mail_headers(name, "Anna")["From"]
    assert [a.addr_spec for a in sender.addresses] != [ADDRESS]


def test_flask_mail_drops_the_quotes_of_a_senders_name(app):
    sender = flask_mail_headers('Anna "The <Boss>"', "Anna")["From"]
    assert [a.display_name for a in sender.addresses] == ["Anna The <Boss>"]


def test_flask_mail_breaks_a_long_name_inside_words(app):
    """A long recipient name comes back with spaces inside words ("gar š", "Aizk raukles")."""
    (recipient,) = flask_mail_headers("Biedrība", LONG_NAME)["To"].addresses
    assert recipient.addr_spec == "anna@example.lv"
    assert recipient.display_name != LONG_NAME
    assert recipient.display_name.replace(" ", "") == LONG_NAME.replace(" ", "")
