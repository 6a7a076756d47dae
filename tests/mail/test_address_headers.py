"""No name in From or To can change the address a mail server or client reads.

Each message goes through the real SMTP server on loopback and is parsed the way receivers
do: Python's modern parser (the default policy) and the legacy one (compat32) with its
address splitter, whose display names are decoded as RFC 2047 says.
"""

from __future__ import annotations

import re
from email import message_from_bytes, policy
from email.header import decode_header, make_header
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import getaddresses

import pytest

from registration.mail.sender import send_pending

from .helpers import sign_up

ATTACKER = "attacker@evil.example"

NAMES = [
    # Long enough to be folded, with quotes and angle brackets: read as the attacker's
    # address once the quotes were lost in folding.
    ("A" * 60, f'"Evil" <{ATTACKER}>'),
    ("Jānis", f'Ozoliņš-Bērziņš-Kalniņš "Lielais" <{ATTACKER}>, "x" <b@evil.example>'),
    ('"' + "Ļ" * 70, f'<{ATTACKER}>"'),
    ("Anna, <" + ATTACKER + ">", ", ".join(["😀 Šķēle 🎉"] * 5)),
    ("Ilze", "Kalna"),
    ("Ēriks", "Šķēle"),
]


def _head(data: bytes) -> str:
    return data.split(b"\r\n\r\n")[0].decode("ascii")


def _header_lines(head: str, name: str) -> list[str]:
    lines = head.split("\r\n")
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{name}:"))
    end = next(
        (i for i in range(start + 1, len(lines)) if not lines[i].startswith(" ")), len(lines)
    )
    return lines[start:end]


def assert_reads_as(data: bytes, header: str, name: str, address: str) -> None:
    """Both of Python's parsers read one address, `address`, named `name`."""
    modern = message_from_bytes(data, policy=policy.default)
    [parsed] = modern[header].addresses
    assert parsed.addr_spec == address
    assert modern[header].defects == ()
    # This parser keeps the space between two encoded words that RFC 2047 says to drop;
    # apart from such spaces the name is the one given.
    assert "".join(parsed.display_name.split()) == "".join(name.split())

    legacy = message_from_bytes(data, policy=policy.compat32)
    [(raw_name, legacy_address)] = getaddresses(legacy.get_all(header))
    assert legacy_address == address
    assert str(make_header(decode_header(raw_name))) == name

    lines = _header_lines(_head(data), header)
    assert max(len(line) for line in lines) <= 78, lines
    assert all(len(w) <= 75 for w in re.findall(r"=\?[^?]+\?[bBqQ]\?[^?]*\?=", "".join(lines)))


@pytest.mark.parametrize(("first_name", "last_name"), NAMES)
def test_no_name_changes_the_address_in_to(app, smtp_server, make_event, first_name, last_name):
    event = make_event()
    sign_up(event, first_name=first_name, last_name=last_name, email="janis@example.lv")

    assert send_pending().sent == 1

    [received] = smtp_server.received
    assert received.rcpt_tos == ["janis@example.lv"]
    assert_reads_as(received.data, "To", f"{first_name} {last_name}", "janis@example.lv")


@pytest.mark.parametrize(
    "organisation",
    [
        f'Biedrība „Lauku partnerība” un "Sēlijas" kopiena <{ATTACKER}>, sekretariāts',
        f'"{"Lauku partnerība " * 5}" <{ATTACKER}>',
    ],
)
def test_no_organisation_name_changes_the_address_in_from(
    app, smtp_server, make_event, organisation
):
    app.config["ORGANISATION_NAME"] = organisation
    sign_up(make_event())

    assert send_pending().sent == 1

    [received] = smtp_server.received
    assert received.mail_from == "pieteikumi@partneriba.example"
    assert_reads_as(received.data, "From", organisation, "pieteikumi@partneriba.example")


def test_the_standard_librarys_own_folding_still_loses_the_quotes():
    """Why `address_headers` writes these headers itself. The day this fails, the Python in
    use folds a long quoted name correctly; once every Python the project supports does,
    `SMTP_POLICY` can be the standard library's `policy.SMTP` again."""
    email = EmailMessage(policy=policy.SMTP)
    email["To"] = Address("A" * 60 + f' "Evil" <{ATTACKER}>', "janis", "example.lv")
    email.set_content("Sveiki!")
    parsed = message_from_bytes(email.as_bytes(), policy=policy.default)
    assert [a.addr_spec for a in parsed["To"].addresses] == [ATTACKER]
