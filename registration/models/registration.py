"""A person's registration for an event."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..types import UTCDateTime
from .base import Timestamps, enum_column
from .event import Event, PickupStop
from .question import Answer


class RegistrationStatus(enum.Enum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"


#: Statuses that hold a place (a seat or a place in the queue).
ACTIVE_STATUSES = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)


class Attendance(enum.Enum):
    ATTENDED = "attended"
    ABSENT = "absent"


class CancelReason(enum.Enum):
    """Why a registration was cancelled (empty for those cancelled before this was kept)."""

    PERSON = "person"  #: the person, on their private page
    ORGANISER = "organiser"  #: an organiser, in the back office
    UNCONFIRMED = "unconfirmed"  #: the address was not confirmed in time (double opt-in)
    JUNK = "junk"  #: removed by an organiser as a sign-up nobody meant


class RegistrationSource(enum.Enum):
    ONLINE = "online"  #: the person used the public form
    ORGANISER = "organiser"  #: an organiser entered it (phone sign-ups)
    WALK_IN = "walk_in"  #: added at check-in on the day


class Registration(Timestamps, db.Model):
    __table_args__ = (
        # One active registration per person and event, enforced by the database itself. A
        # person is the address together with the name: members of a household share one
        # address, and each of them may sign up.
        sa.Index(
            "uq_registration_active_person",
            "event_id",
            "email_key",
            "name_key",
            unique=True,
            sqlite_where=sa.text("status IN ('confirmed', 'waitlisted')"),
            postgresql_where=sa.text("status IN ('confirmed', 'waitlisted')"),
        ),
        sa.Index("ix_registration_event_status_queue", "event_id", "status", "queued_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("event.id"))
    status: Mapped[RegistrationStatus] = mapped_column(enum_column(RegistrationStatus))
    first_name: Mapped[str] = mapped_column(sa.String(100))
    last_name: Mapped[str] = mapped_column(sa.String(100))
    #: The address as typed, for writing to the person; empty for people an organiser
    #: registered by phone or at the door who have no email.
    email: Mapped[str] = mapped_column(sa.String(254), default="")
    #: The address normalised (trimmed, lower case) for the uniqueness rule and look-ups;
    #: NULL without an address, so people without email never collide.
    email_key: Mapped[str | None] = mapped_column(sa.String(254), index=True)
    #: The name folded (lower case, no diacritics, single spaces): with `email_key`, who the
    #: person is for the one-registration-per-person rule (see services/people.py).
    name_key: Mapped[str] = mapped_column(sa.String(210), default="")
    #: Normalised phone number (+371XXXXXXXX or +<country>...), empty when not given.
    phone: Mapped[str] = mapped_column(sa.String(40), default="")
    #: Place of residence: one of the configured places, or "other" with `place_other`.
    place: Mapped[str] = mapped_column(sa.String(80), default="")
    place_other: Mapped[str] = mapped_column(sa.String(120), default="")
    organisation: Mapped[str] = mapped_column(sa.String(200), default="")
    pickup_stop_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("pickup_stop.id", ondelete="SET NULL")
    )
    #: Access, diet and other needs the organiser should know about.
    needs: Mapped[str] = mapped_column(sa.Text, default="")
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    #: Version of the privacy notice the person agreed to, and when.
    consent_notice_version: Mapped[str] = mapped_column(sa.String(40), default="")
    consented_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The person asked not to appear in photos or video.
    photo_opt_out: Mapped[bool] = mapped_column(default=False)
    #: Separate, unticked by default: may the organisation write about future events.
    wants_news: Mapped[bool] = mapped_column(default=False)
    #: Language of the interface at sign-up; emails follow it.
    language: Mapped[str] = mapped_column(sa.String(5), default="lv")
    source: Mapped[RegistrationSource] = mapped_column(
        enum_column(RegistrationSource), default=RegistrationSource.ONLINE
    )
    #: Place in the first-come-first-served order (the waiting list is ordered by it).
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancel_reason: Mapped[CancelReason | None] = mapped_column(enum_column(CancelReason))
    #: Double opt-in: the seat or queue place is held until this moment, and then released
    #: unless the person has confirmed their address; empty when no confirmation is asked.
    confirm_by: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: When the person confirmed the address with the link in their email.
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: A keyed hash of the network (/24 or /64) the sign-up came from, so that organisers see
    #: bursts from one network; never the address itself, and erased after a few weeks.
    network_hash: Mapped[str] = mapped_column(sa.String(16), default="")
    attendance: Mapped[Attendance | None] = mapped_column(enum_column(Attendance))
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Random 128-bit value from which the manage-link token is derived with the secret key
    #: (see services/tokens.py); useless without that key.
    manage_nonce: Mapped[str] = mapped_column(sa.String(32))
    #: SHA-256 of the manage-link token, for looking a token up; the token is never stored.
    manage_token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: Internal note by the organisers; never shown to the person.
    organiser_note: Mapped[str] = mapped_column(sa.Text, default="")
    #: The person who signed this one up with them, for a companion in a group sign-up; a
    #: group waits and gets its seats together (services/groups.py).
    lead_id: Mapped[int | None] = mapped_column(sa.ForeignKey("registration.id"), index=True)
    #: When the personal data were erased after the retention period (registration/privacy);
    #: the row stays for the counts.
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    event: Mapped[Event] = relationship()
    pickup_stop: Mapped[PickupStop | None] = relationship()
    lead: Mapped[Registration | None] = relationship(remote_side=[id])
    answers: Mapped[list[Answer]] = relationship(cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<Registration {self.id} {self.status.value}>"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def residence(self) -> str:
        """Place of residence as a person reads it ("other" shows what they typed)."""
        return self.place_other if self.place == "other" else self.place

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def entry_id(self) -> int:
        """The waiting-list entry it belongs to: its group's lead, or itself."""
        return self.lead_id or self.id

    @property
    def is_anonymised(self) -> bool:
        return self.anonymised_at is not None

    @property
    def is_awaiting_confirmation(self) -> bool:
        """Holds a place that goes back unless the address is confirmed (double opt-in)."""
        return self.is_active and self.confirm_by is not None and self.email_confirmed_at is None
