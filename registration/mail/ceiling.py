"""The ceiling on mail to participants: at most `MAIL_PARTICIPANT_LIMIT` leave the outbox.

Whatever floods the site, the organisation's mail server never sends more than this many
messages to participants in the window (500 an hour by default), so its domain does not end
up on a block list. It is counted when a sender has claimed a batch, in the shared counter
table, so every sender of every process shares it; messages beyond it go back to the queue
untried, due when the window ends (`flask mail status` shows them waiting). Notices to
organisers are not counted. `RATELIMIT_ENABLED = False` turns it off with the other limits.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from flask import current_app
from limits import parse_many

from ..extensions import db
from ..ratelimits import counters
from . import outbox
from .outbox import Claimed

logger = logging.getLogger(__name__)

#: Messages to organisers rather than participants.
ORGANISER_KINDS = frozenset({"organiser_notice"})

WAITING = "waiting: the hourly ceiling of mail to participants (MAIL_PARTICIPANT_LIMIT) is reached"


def admit(batch: list[Claimed]) -> list[Claimed]:
    """The part of a claimed batch that may be sent now; the rest is given back (COMMITS)."""
    config = current_app.config
    setting = config.get("MAIL_PARTICIPANT_LIMIT")
    participant = [m for m in batch if m.kind not in ORGANISER_KINDS]
    if not (setting and participant and config.get("RATELIMIT_ENABLED", True)):
        return batch
    windows = [
        (item, counters.digest(config["SECRET_KEY"], item.key_for("mail", "participants")))
        for item in parse_many(setting)
    ]
    with counters.write_transaction(db.engine) as connection, connection.begin():
        counts = counters.hit(
            connection,
            [counters.Hit(key, item.get_expiry(), len(participant)) for item, key in windows],
        )
    room, resume_at = len(participant), 0.0
    for item, key in windows:
        left = item.amount - (counts[key].hits - len(participant))
        if left < room:
            room, resume_at = max(left, 0), max(resume_at, counts[key].expires_at)
    if room >= len(participant):
        return batch
    waiting = participant[room:]
    outbox.release(waiting, until=datetime.fromtimestamp(resume_at, UTC), reason=WAITING)
    logger.warning(
        "%s messages to participants wait until %s: MAIL_PARTICIPANT_LIMIT (%s) is reached",
        len(waiting),
        datetime.fromtimestamp(resume_at, UTC).isoformat(timespec="seconds"),
        setting,
    )
    held = {m.id for m in waiting}
    return [m for m in batch if m.id not in held]
