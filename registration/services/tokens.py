"""Private manage links, and the private feedback link after an event.

Each registration holds a random 128-bit nonce; its token is HMAC-SHA256(secret key, nonce),
and only the token's SHA-256 is stored, for look-up. So a copy of the database alone opens
no registration, yet every email (confirmation, promotion, reminder) can carry the same link
without keeping the token anywhere. Changing SECRET_KEY invalidates all links.

The feedback link is a link of its own (it opens the feedback form and nothing else):
"<registration id>-<HMAC(secret key, feedback purpose + nonce)>", checked by recomputing.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

import sqlalchemy as sa
from flask import current_app

from ..extensions import db
from ..models import Registration
from ..urls import external_url

TOKEN_PURPOSE = b"registration-manage-link:"
FEEDBACK_PURPOSE = b"registration-feedback-link:"


def new_nonce() -> str:
    return secrets.token_hex(16)


def token_for_nonce(nonce: str, purpose: bytes = TOKEN_PURPOSE) -> str:
    key = current_app.config["SECRET_KEY"]
    key_bytes = key if isinstance(key, bytes) else key.encode()
    digest = hmac.new(key_bytes, purpose + nonce.encode("ascii"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def assign_manage_token(registration: Registration) -> str:
    """Give a new registration its nonce and token hash; return the token."""
    registration.manage_nonce = new_nonce()
    token = token_for_nonce(registration.manage_nonce)
    registration.manage_token_hash = hash_token(token)
    return token


def manage_token(registration: Registration) -> str:
    """The token of the registration's private link (recomputed, never stored)."""
    return token_for_nonce(registration.manage_nonce)


def manage_url(registration: Registration) -> str:
    """The absolute address of the registration's private page, for emails and calendars."""
    return external_url("public.manage", token=manage_token(registration))


def find_by_token(token: str) -> Registration | None:
    """The registration a token opens, or None for a wrong, malformed or old token."""
    if not token or len(token) > 100:
        return None
    return db.session.scalar(
        sa.select(Registration).where(Registration.manage_token_hash == hash_token(token))
    )


def feedback_token(registration: Registration) -> str:
    return f"{registration.id}-{token_for_nonce(registration.manage_nonce, FEEDBACK_PURPOSE)}"


def feedback_url(registration: Registration) -> str:
    """The absolute address of the person's feedback form, for the thank-you email."""
    return external_url(
        "public.feedback_form", slug=registration.event.slug, token=feedback_token(registration)
    )


def find_by_feedback_token(token: str) -> Registration | None:
    """The registration a feedback token belongs to, or None for a wrong or malformed one."""
    number, _, signature = (token or "").partition("-")
    if not number.isdigit() or len(token) > 100 or not signature:
        return None
    registration = db.session.get(Registration, int(number))
    if registration is None or not registration.manage_nonce:
        return None
    expected = token_for_nonce(registration.manage_nonce, FEEDBACK_PURPOSE)
    return registration if hmac.compare_digest(expected, signature) else None
