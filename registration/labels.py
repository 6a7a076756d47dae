"""Names people read for the model's enums, in the visitor's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .models import EventKind, RegistrationStatus

KIND_LABELS = {
    EventKind.THINK_TANK: _l("Think tank"),
    EventKind.SEMINAR: _l("Seminar"),
    EventKind.STUDY_TRIP: _l("Study trip"),
    EventKind.CONFERENCE: _l("Final event"),
    EventKind.OTHER: _l("Event"),
}

#: Plural headings for filters ("all think tanks").
KIND_PLURALS = {
    EventKind.THINK_TANK: _l("Think tanks"),
    EventKind.SEMINAR: _l("Seminars"),
    EventKind.STUDY_TRIP: _l("Study trips"),
    EventKind.CONFERENCE: _l("Final events"),
    EventKind.OTHER: _l("Other events"),
}

STATUS_LABELS = {
    RegistrationStatus.CONFIRMED: _l("Confirmed"),
    RegistrationStatus.WAITLISTED: _l("On the waiting list"),
    RegistrationStatus.CANCELLED: _l("Cancelled"),
}


def kind_label(kind: EventKind) -> str:
    return str(KIND_LABELS[kind])


def status_label(status: RegistrationStatus) -> str:
    return str(STATUS_LABELS[status])
