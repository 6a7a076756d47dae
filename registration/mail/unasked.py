"""Mail nobody may have asked for: what the sign-up form makes us send to an address.

Anyone can type anyone's address into the form, so a message it causes (a confirmation, a
waiting-list notice, the link sent again to a repeated address, the request to confirm) goes
to a stranger as easily as to the person. An address that has never confirmed itself (the
double opt-in link) gets at most `MAIL_UNCONFIRMED_PER_HOUR` and `MAIL_UNCONFIRMED_PER_DAY` of
them, across all events. Beyond that the message is still written, as a failed row marked
`HELD_BACK`: it is never tried, organisers see it under undelivered email and may send it,
and it goes out by itself once the address is confirmed (`services/opt_in.py`).

The counts are rows of the shared counter table written in the transaction that queues the
message, so two sign-ups with one address at the same moment count one after the other; a
message held back is not counted.
Messages organisers cause (their own sign-ups of people, their messages, event changes) and
those a person's seat brings later (a promotion, a reminder) are not counted.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app

from ..extensions import db
from ..models import Registration, RegistrationSource
from ..ratelimits import counters

#: Kinds of message the public sign-up form causes.
FORM_KINDS = frozenset({"confirmation", "waitlisted", "duplicate", "confirm_request"})

_WINDOWS = (("MAIL_UNCONFIRMED_PER_HOUR", 3600), ("MAIL_UNCONFIRMED_PER_DAY", 24 * 3600))


def address_confirmed(email_key: str | None) -> bool:
    """Whether the address was ever confirmed with a double opt-in link."""
    if not email_key:
        return False
    query = sa.select(
        sa.exists().where(
            Registration.email_key == email_key, Registration.email_confirmed_at.is_not(None)
        )
    )
    return bool(db.session.scalar(query))


def may_send(registration: Registration, kind: str) -> bool:
    """Count a message about to be queued; False when it must be held back."""
    if kind not in FORM_KINDS or registration.source is not RegistrationSource.ONLINE:
        return True
    config = current_app.config
    windows = [
        (config[name], seconds) for name, seconds in _WINDOWS if config.get(name) is not None
    ]
    if not windows:
        return True
    secret = config["SECRET_KEY"]
    keys = {
        seconds: counters.digest(secret, f"unasked-mail:{seconds}:{registration.email_key}")
        for _, seconds in windows
    }
    connection = db.session.connection()
    counts = counters.hit(connection, [counters.Hit(key, seconds) for seconds, key in keys.items()])
    if all(counts[keys[seconds]].hits <= limit for limit, seconds in windows):
        return True
    # Over the limit: a confirmed address is not limited, and a message held back reaches
    # nobody; either way it is taken off the count again (the rows stay locked by this
    # transaction, so nobody counted in between). Asked only now: it is rarely needed.
    counters.hit(connection, [counters.Hit(key, seconds, -1) for seconds, key in keys.items()])
    return address_confirmed(registration.email_key)
