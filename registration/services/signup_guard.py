"""A sign-up on the public site: the checks against floods and robots, then the booking.

One unit of work. Before the seat is taken, still inside the booking's transaction (which
holds the write lock), it counts the sign-up against the limits that must be exact:

- sign-ups to one event (`SIGNUP_LIMIT_PER_EVENT`), and with one email address across
  events (`SIGNUP_LIMIT_PER_EMAIL`): beyond them, `LimitReached` (the web layer answers 429);
- uses of one sign-up form (`SIGNUP_FORM_MAX_USES` within `SIGNUP_FORM_MAX_AGE`): a form sent
  more often is a robot replaying it, as is an address on the block list: `LooksAutomated`,
  which the web layer answers exactly as it answers a sign-up (nothing saved, no mail).

The counts are rows of the shared counter table, written in this transaction: a sign-up
refused for any reason (a full event, a limit) counts nothing. Limits per client address and
network are checked before any of this, by Flask-Limiter on the route. `RATELIMIT_ENABLED =
False` turns every count off (the block list still holds).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from flask import current_app
from flask_babel import lazy_gettext as _l
from limits import RateLimitItem, parse, parse_many

from ..extensions import db
from ..ratelimits import counters
from ..timeutil import now_utc
from . import DomainError, blocklist, booking, people, unit_of_work
from .booking import SignUpDetails, SignUpResult


class LimitReached(DomainError):
    """Too many sign-ups for this event or with this address just now."""

    def __init__(self, retry_after: float, what: str) -> None:
        super().__init__(_l("Too many sign-ups in a short time. Please try again later."))
        #: Seconds until the limit lets the next one through.
        self.retry_after = retry_after
        #: Which limit, for the log.
        self.what = what


class LooksAutomated(Exception):
    """Refused without a word: the web layer answers as if the sign-up had been taken."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Provenance:
    """Where an online sign-up came from, as the web layer saw it."""

    #: Keyed hash of the client's network (see `ratelimits.network_hash`); kept with the
    #: registration for the organisers' burst flag.
    network_hash: str = ""
    #: The random part of the signed form the sign-up was sent with.
    form_nonce: str | None = None


def _key(*parts: str) -> str:
    return counters.digest(current_app.config["SECRET_KEY"], ":".join(parts))


def _limits(
    setting: str, *identifiers: str, amount: int = 1
) -> list[tuple[RateLimitItem, str, str, int]]:
    """(limit, stored key, setting, hits) for each window of a configured limit."""
    return [
        (item, _key(item.key_for(*identifiers)), setting, amount)
        for item in parse_many(current_app.config[setting])
    ]


def _count(event_id: int, addresses: list[str], form_nonce: str | None, people: int = 1) -> None:
    """Count the sign-up against the limits: the event's by the seats it asks for (a group
    counts each person), each address given (the lead's and companions'), the form used."""
    config = current_app.config
    checks = _limits("SIGNUP_LIMIT_PER_EVENT", "event", str(event_id), amount=people)
    for address in dict.fromkeys(addresses):
        checks += _limits("SIGNUP_LIMIT_PER_EMAIL", "email", address)
    form_limit = None
    if form_nonce:
        form_limit = parse(
            f"{config['SIGNUP_FORM_MAX_USES']} per {config['SIGNUP_FORM_MAX_AGE']} seconds"
        )
        checks.append((form_limit, _key("form", form_nonce), "SIGNUP_FORM_MAX_USES", 1))
    now = now_utc().timestamp()
    counts = counters.hit(
        db.session.connection(),
        [counters.Hit(key, item.get_expiry(), amount) for item, key, _, amount in checks],
        now=now,
    )
    over = [
        (item, key, setting) for item, key, setting, _ in checks if counts[key].hits > item.amount
    ]
    if any(item is form_limit for item, _, _ in over):
        raise LooksAutomated("a form sent more often than SIGNUP_FORM_MAX_USES")
    if over:
        retry_after = max(counts[key].expires_at for _, key, _ in over) - now
        raise LimitReached(retry_after, ", ".join(sorted({setting for *_, setting in over})))


def sign_up_online(event_id: int, details: SignUpDetails, provenance: Provenance) -> SignUpResult:
    """A resident's sign-up through the event page: the checks above, then `booking.sign_up`.

    Raises LimitReached, LooksAutomated, or what the booking raises. Nothing is saved unless
    everything passes.
    """
    addresses = [
        key for key in (people.email_key(email) for email in _emails(details)) if key is not None
    ]
    with unit_of_work():
        if any(blocklist.is_blocked(key) for key in addresses):
            raise LooksAutomated("a blocked address")
        result = booking.sign_up(event_id, replace(details, network_hash=provenance.network_hash))
        # Counted last, just before the commit: the event's counter row is locked from its
        # count to the commit, and every sign-up to the event counts on it. Over a limit, the
        # unit of work undoes the booking; a refused booking counts nothing.
        if current_app.config.get("RATELIMIT_ENABLED", True):
            _count(event_id, addresses, provenance.form_nonce, 1 + len(details.companions))
        return result


def _emails(details: SignUpDetails) -> list[str]:
    return [details.email, *(companion.email for companion in details.companions)]
