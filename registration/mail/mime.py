"""The MIME message for an outbox row, made at sending time.

Built with the standard library's `email.message.EmailMessage` and its SMTP policy, which
writes RFC 2047 headers for any subject (quotes, `<`, emoji, Latvian letters); address
headers are written by `address_headers`, since the standard library's folding can let a
long name with quotes change the address. Flask-Mail 0.10's own builder uses the legacy
`email.header.Header`, which breaks on long mixed names and on a sender name with quotes.
The private manage link and the personal .ics are put in here, so the outbox never stores
them.
"""

from __future__ import annotations

import logging
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from flask import current_app
from markupsafe import escape

from ..calendar.ics import personal_calendar
from ..extensions import db
from ..models import OutboxAttachment, Registration
from ..services import organisation, tokens
from ..timeutil import now_utc
from ..urls import external_url
from . import outbox
from .address_headers import SMTP_POLICY
from .outbox import FEEDBACK_LINK_PLACEHOLDER, MANAGE_LINK_PLACEHOLDER, Attachment, Claimed

logger = logging.getLogger(__name__)


class BuildError(Exception):
    """The row cannot be made into a message (a permanent failure)."""


def _address(display_name: str, address: str) -> Address:
    """An Address whose domain is IDNA-encoded; a non-ASCII local part is refused."""
    local, _, domain = address.rpartition("@")
    if not local or not domain:
        raise BuildError(f"not an email address: {address!r}")
    try:
        local.encode("ascii")
    except UnicodeEncodeError:
        raise BuildError(
            f"the address {address!r} has non-ASCII letters before the @, which this "
            "sender cannot deliver"
        ) from None
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise BuildError(f"the domain of {address!r} is not valid ({exc})") from None
    return Address(display_name=display_name, username=local, domain=domain)


def sender_address() -> Address:
    """The organisation's name as display name, MAIL_DEFAULT_SENDER's address."""
    config = current_app.config
    address = parseaddr(config.get("MAIL_DEFAULT_SENDER") or "")[1] or "noreply@localhost"
    return _address(outbox.one_line(organisation.details().name), address)


def _manage_url(registration: Registration | None) -> str:
    if registration is None:
        # The registration was erased since; the link would lead nowhere.
        return external_url("public.index")
    return tokens.manage_url(registration)


def _attachment_data(attachment: Attachment, registration: Registration | None) -> bytes | None:
    if attachment.generated_by is None:
        return attachment.data
    if attachment.generated_by != OutboxAttachment.PERSONAL_CALENDAR:
        raise BuildError(f"unknown attachment generator {attachment.generated_by!r}")
    if registration is None:
        return None  # erased since: no calendar file to make
    try:
        return personal_calendar(registration, tokens.manage_url(registration))
    except Exception as exc:
        logger.exception("cannot make the calendar file of registration %s", registration.id)
        raise BuildError(f"cannot make the calendar file: {exc}") from exc


def _with_links(message: Claimed, registration: Registration | None) -> tuple[str, str | None]:
    """The bodies with the private links put in where their placeholders are."""
    text, html = message.text_body, message.html_body
    links = {}
    if message.has_manage_link:
        links[MANAGE_LINK_PLACEHOLDER] = _manage_url(registration)
    if FEEDBACK_LINK_PLACEHOLDER in text:
        links[FEEDBACK_LINK_PLACEHOLDER] = (
            tokens.feedback_url(registration)
            if registration is not None
            else external_url("public.index")
        )
    for placeholder, url in links.items():
        text = text.replace(placeholder, url)
        if html is not None:
            html = html.replace(placeholder, str(escape(url)))
    return text, html


def build_message(message: Claimed) -> EmailMessage:
    """The MIME message for a claimed row: text, HTML alternative, attachments.

    The private manage link and the personal .ics are made here, at sending time.
    """
    registration = (
        db.session.get(Registration, message.registration_id)
        if message.registration_id is not None
        else None
    )
    text, html = _with_links(message, registration)
    email = EmailMessage(policy=SMTP_POLICY)
    try:
        email["Subject"] = message.subject
        email["From"] = sender_address()
        email["To"] = _address(message.recipient_name, message.recipient)
        if message.reply_to:
            email["Reply-To"] = _address("", message.reply_to)
        email["Date"] = format_datetime(now_utc())
        email["Message-ID"] = message.message_id
        for name, value in message.headers.items():
            email[name] = value
    except (ValueError, TypeError) as exc:
        raise BuildError(f"cannot write the headers: {exc}") from exc
    email.set_content(text, cte="quoted-printable")
    if html is not None:
        email.add_alternative(html, subtype="html", cte="quoted-printable")
    for attachment in message.attachments:
        data = _attachment_data(attachment, registration)
        if data is None:
            continue
        maintype, _, rest = attachment.content_type.partition("/")
        subtype, *params = (part.strip() for part in rest.split(";"))
        email.add_attachment(
            data,
            maintype=maintype,
            subtype=subtype,
            filename=attachment.filename,
            params=dict(p.split("=", 1) for p in params if "=" in p),
        )
    return email
