"""Receivers of the domain signals: each event in a registration's life queues its email.

The booking rules send the signals inside their transaction, before the commit, so the
outbox rows written here are committed together with the change, or rolled back with it.
Nothing here commits.

Participants are written to only about events still ahead of them and visible to them
(`policy.gets_participant_mail`): organisers type in the paper sign-in sheet after an event, or
prepare a draft with the people already known, and none of them should get "We look forward
to seeing you!" with a calendar file. The contact's notice of a new sign-up is for sign-ups
made on the site (not for people the organisers entered themselves); the messages organisers
write (`messages.queue_participant_message`) are not affected.
"""

from __future__ import annotations

from flask import Flask

from .. import signals
from ..models import Event, Registration, RegistrationSource, RegistrationStatus
from ..services.policy import gets_participant_mail
from . import messages, sender


def _welcome(registration: Registration, *, new_registration: bool = False) -> None:
    if registration.status is RegistrationStatus.CONFIRMED:
        messages.queue_confirmation(registration, new_registration=new_registration)
    elif registration.status is RegistrationStatus.WAITLISTED:
        messages.queue_waitlisted(registration, new_registration=new_registration)


def on_registration_created(registration: Registration, **extra) -> None:
    # A place held until the address is confirmed asks for that first; the confirmation
    # with the calendar file follows the person's click (on_address_confirmed).
    if gets_participant_mail(registration.event):
        if not registration.is_awaiting_confirmation:
            _welcome(registration, new_registration=True)
        elif registration.lead_id is None:
            # Companions are held with the lead's place: the lead's click confirms them.
            messages.queue_confirm_request(registration, new_registration=True)
    # The notice tells the contact about sign-ups they did not make themselves; one per
    # group, sent with the person who signed it up.
    if (
        registration.event.notify_organiser
        and registration.source is RegistrationSource.ONLINE
        and registration.lead_id is None
    ):
        messages.queue_organiser_notice(registration, new_registration=True)


def on_address_confirmed(registration: Registration, **extra) -> None:
    if gets_participant_mail(registration.event):
        _welcome(registration)


def on_registration_duplicate(registration: Registration, **extra) -> None:
    if gets_participant_mail(registration.event):
        messages.queue_duplicate(registration)


def on_registration_promoted(registration: Registration, **extra) -> None:
    if gets_participant_mail(registration.event):
        messages.queue_promoted(registration)


def on_registration_cancelled(registration: Registration, by_organiser: bool = False, **extra):
    if gets_participant_mail(registration.event):
        messages.queue_cancelled(registration, by_organiser=by_organiser)


def on_event_changed(event: Event, changes=(), **extra) -> None:
    if gets_participant_mail(event):
        messages.queue_event_changed(event, changes or ())


def on_event_cancelled(event: Event, **extra) -> None:
    if gets_participant_mail(event):
        messages.queue_event_cancelled(event)


def on_outbox_messages_deleted(app: Flask, ids=(), **extra) -> None:
    # A copy of a message must not outlive its row (the retention rules).
    sender.remove_written_files(app, ids)


RECEIVERS = (
    (signals.registration_created, on_registration_created),
    (signals.registration_address_confirmed, on_address_confirmed),
    (signals.registration_duplicate, on_registration_duplicate),
    (signals.registration_promoted, on_registration_promoted),
    (signals.registration_cancelled, on_registration_cancelled),
    (signals.event_changed, on_event_changed),
    (signals.event_cancelled, on_event_cancelled),
    (signals.outbox_messages_deleted, on_outbox_messages_deleted),
)


def connect() -> None:
    """Connect every receiver (connecting twice is harmless: blinker keeps one)."""
    for signal, receiver in RECEIVERS:
        signal.connect(receiver)
