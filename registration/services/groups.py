"""Signing up with companions: a family or colleagues at once.

Each companion is a registration of their own (sign-in sheet, check-in, exports, unique
people), linked to the person who filled in the form (`Registration.lead_id`), with the
lead's pickup stop, language and consent. A companion with an address gets their own
confirmation and private link; one without is reached through the lead. The group's seats
are all or nothing (see seats.py), and the lead's private page can cancel one companion or
the whole group.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from ..extensions import db
from ..models import Event, Registration, RegistrationStatus
from ..models.registration import ACTIVE_STATUSES
from . import DomainError, answers, people, tokens
from .answers import AnswerValue
from .seats import MAX_COMPANIONS


@dataclass(frozen=True)
class CompanionDetails:
    first_name: str
    last_name: str
    #: Optional: with it the companion gets their own confirmation and link.
    email: str = ""
    place: str = ""
    place_other: str = ""
    #: Answers to the questions asked of each person, by question id.
    answers: Mapping[int, AnswerValue] = field(default_factory=dict)


class InvalidCompanion(DomainError):
    """A companion's details break a group rule: `index` is the companion's (from 0), `field`
    the detail at fault ("first_name" or "email")."""

    def __init__(self, index: int, field: str, message: str) -> None:
        super().__init__(message)
        self.index = index
        self.field = field


def check_group(
    event: Event, lead_email: str, lead_name_key: str, companions: tuple[CompanionDetails, ...]
) -> None:
    """The rules of a group: not more companions than the event allows, no address twice,
    nobody twice (a companion without an address is told apart by name)."""
    allowed = min(event.max_companions, MAX_COMPANIONS)
    if len(companions) > allowed:
        if allowed == 0:
            raise DomainError(_l("This event takes sign-ups of one person at a time."))
        raise DomainError(
            ngettext(
                "You can sign up at most %(num)d person with you.",
                "You can sign up at most %(num)d people with you.",
                allowed,
            )
        )
    addresses = {people.email_key(lead_email)}
    names = {lead_name_key}
    for index, companion in enumerate(companions):
        if not (companion.first_name.strip() and companion.last_name.strip()):
            raise InvalidCompanion(
                index, "first_name", _l("Please give each companion's first and last name.")
            )
        key = people.name_key(companion.first_name, companion.last_name)
        if key in names:
            raise InvalidCompanion(
                index,
                "first_name",
                _l("This person is already in the group. Add each person coming once."),
            )
        names.add(key)
        email = people.email_key(companion.email)
        if email is not None and email in addresses:
            raise InvalidCompanion(
                index,
                "email",
                _l(
                    "This address is already given in the group. Leave the companion's address "
                    "empty: the confirmation to you covers them."
                ),
            )
        addresses.add(email)


def already_registered(event_id: int, email_key: str | None, name_key: str) -> Registration | None:
    """The person's active registration for the event, if they hold one (only people with an
    address can be recognised)."""
    if email_key is None:
        return None
    return db.session.scalar(
        sa.select(Registration).where(
            Registration.event_id == event_id,
            Registration.email_key == email_key,
            Registration.name_key == name_key,
            Registration.status.in_(ACTIVE_STATUSES),
        )
    )


def companion_registration(
    lead: Registration, companion: CompanionDetails, values: dict[int, AnswerValue]
) -> Registration:
    """A new registration for `companion`, sharing the lead's entry in the queue."""
    email = companion.email.strip()
    registration = Registration(
        event=lead.event,
        lead=lead,
        status=lead.status,
        first_name=companion.first_name.strip(),
        last_name=companion.last_name.strip(),
        name_key=people.name_key(companion.first_name, companion.last_name),
        email=email,
        email_key=people.email_key(email),
        place=companion.place,
        place_other=companion.place_other.strip() if companion.place == "other" else "",
        pickup_stop_id=lead.pickup_stop_id,
        language=lead.language,
        source=lead.source,
        consent_notice_version=lead.consent_notice_version,
        consented_at=lead.consented_at,
        queued_at=lead.queued_at,
        # Held with the lead's place: confirmed by the lead's click, or released with it.
        confirm_by=lead.confirm_by,
    )
    tokens.assign_manage_token(registration)
    answers.store(registration, answers.questions_for(lead.event, companion=True), values)
    return registration


def companions_of(lead: Registration) -> list[Registration]:
    """The companions signed up with `lead`, in the order they were given."""
    return list(
        db.session.scalars(
            sa.select(Registration).where(Registration.lead_id == lead.id).order_by(Registration.id)
        )
    )


def active_companions(lead: Registration) -> list[Registration]:
    return [r for r in companions_of(lead) if r.status is not RegistrationStatus.CANCELLED]


def registrations_of_event(event_id: int, ids: list[int]) -> list[Registration]:
    """The registrations of the event with these ids, in the order of `ids` (for the page
    shown after signing up, which keeps only the ids)."""
    wanted = [i for i in ids if isinstance(i, int)][: MAX_COMPANIONS + 1]
    if not wanted:
        return []
    found = {
        r.id: r
        for r in db.session.scalars(
            sa.select(Registration).where(
                Registration.id.in_(wanted), Registration.event_id == event_id
            )
        )
    }
    return [found[i] for i in wanted if i in found]
