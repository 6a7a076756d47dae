"""Signs that a sign-up form was sent by a program, not a person; no third party involved.

- the honeypot: a field people never see and programs fill in;
- the form's signed time (`stamp`): sent within SIGNUP_MIN_SECONDS of being shown (nobody
  types a name and an address that fast), older than SIGNUP_FORM_MAX_AGE, missing or forged;
- what the browser says of where the request comes from, when it says it: `Sec-Fetch-Site`
  of another site, or an `Origin` that is not this site.

How often one form is sent is counted in the shared store by the sign-up itself
(`services/signup_guard.py`), with the stamp's random part. A form taken for a program gets
the answer a person would get, and nothing is saved or sent: the page gives no hint.
"""

from __future__ import annotations

import logging
import secrets
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

logger = logging.getLogger(__name__)

_SALT = "sign-up-form-stamp"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def new_stamp() -> str:
    """A signed value holding the moment the form is shown and a random part."""
    return _serializer().dumps(secrets.token_hex(8))


@dataclass(frozen=True)
class Verdict:
    #: Why the form looks sent by a program; empty when it does not.
    reason: str = ""
    #: The random part of the form's stamp, to count how often the form is used.
    nonce: str | None = None

    @property
    def automated(self) -> bool:
        return bool(self.reason)


def _stamp(value: str | None) -> Verdict:
    config = current_app.config
    try:
        nonce, shown_at = _serializer().loads(
            value or "", max_age=config["SIGNUP_FORM_MAX_AGE"], return_timestamp=True
        )
    except BadSignature:  # also a stamp that is too old (SignatureExpired)
        return Verdict("no valid form stamp")
    if time.time() - shown_at.timestamp() < config["SIGNUP_MIN_SECONDS"]:
        return Verdict("sent too soon after the form was shown", nonce)
    return Verdict(nonce=nonce)


def _foreign_origin() -> bool:
    """The browser says the request comes from another site (only browsers say so)."""
    if request.headers.get("Sec-Fetch-Site", "").lower() in ("cross-site", "same-site"):
        return True
    origin = request.headers.get("Origin", "")
    if not origin or origin == "null":
        return False
    hosts = {request.host.lower(), urlsplit(current_app.config["PUBLIC_BASE_URL"]).netloc.lower()}
    return urlsplit(origin).netloc.lower() not in hosts


def inspect(honeypot: str | None, stamp: str | None) -> Verdict:
    """What the request and the sign-up form's hidden fields tell of who sent it."""
    if honeypot:
        verdict = Verdict("the hidden field was filled in")
    elif _foreign_origin():
        verdict = Verdict("sent from another site")
    else:
        verdict = _stamp(stamp)
    if verdict.automated:
        logger.info("a sign-up taken for automated (%s): nothing saved", verdict.reason)
    return verdict
