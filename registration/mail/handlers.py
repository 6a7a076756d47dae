"""Receivers of the domain signals: each event in a registration's life queues its email.

The booking rules send the signals inside their transaction, before the commit, so the
outbox rows written here are committed together with the change, or rolled back with it.
Nothing here commits.

Participants are written to only about events still ahead of them and visible to them
(`writes_to_participants`): organisers type in the paper sign-in sheet after an event, or
prepare a draft with the people already known, and none of them should get "We look forward
to seeing you!" with a calendar file. The contact's notice of a new sign-up is for sign-ups
made on the site (not for people the organisers entered themselves); the messages organisers
write (`messages.queue_participant_message`) are not affected.
"""

from __future__ import annotations

from .. import signals
from ..models import Event, EventStatus, Registration, RegistrationSource, RegistrationStatus
from . import messages


def writes_to_participants(event: Event) -> bool:
    """Whether changes to the event's registrations are emailed to the people concerned:
    not for a draft (nobody can see it yet), not once the event has ended."""
    return event.status is not EventStatus.DRAFT and not event.is_past


def on_registration_created(registration: Registration, **extra) -> None:
    if writes_to_participants(registration.event):
        if registration.status is RegistrationStatus.CONFIRMED:
            messages.queue_confirmation(registration)
        elif registration.status is RegistrationStatus.WAITLISTED:
            messages.queue_waitlisted(registration)
    # The notice tells the contact about sign-ups they did not make themselves.
    if registration.event.notify_organiser and registration.source is RegistrationSource.ONLINE:
        messages.queue_organiser_notice(registration)


def on_registration_duplicate(registration: Registration, **extra) -> None:
    if writes_to_participants(registration.event):
        messages.queue_duplicate(registration)


def on_registration_promoted(registration: Registration, **extra) -> None:
    if writes_to_participants(registration.event):
        messages.queue_promoted(registration)


def on_registration_cancelled(registration: Registration, by_organiser: bool = False, **extra):
    if writes_to_participants(registration.event):
        messages.queue_cancelled(registration, by_organiser=by_organiser)


def on_event_changed(event: Event, changes=(), **extra) -> None:
    if writes_to_participants(event):
        messages.queue_event_changed(event, changes or ())


def on_event_cancelled(event: Event, **extra) -> None:
    if writes_to_participants(event):
        messages.queue_event_cancelled(event)


RECEIVERS = (
    (signals.registration_created, on_registration_created),
    (signals.registration_duplicate, on_registration_duplicate),
    (signals.registration_promoted, on_registration_promoted),
    (signals.registration_cancelled, on_registration_cancelled),
    (signals.event_changed, on_event_changed),
    (signals.event_cancelled, on_event_cancelled),
)


def connect() -> None:
    """Connect every receiver (connecting twice is harmless: blinker keeps one)."""
    for signal, receiver in RECEIVERS:
        signal.connect(receiver)
