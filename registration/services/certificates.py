"""Attendance certificates: a PDF per person marked attended, and one ZIP per event.

Who has one is `policy.certificate_refusal` (attended, data kept, event over). A certificate
is written in the language the person signed up in; it names the event, its date, place and
length, the project and its funder, and leaves a line for the organisation's signature.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _

from ..extensions import db
from ..i18n import long_date
from ..models import Attendance, Event, Registration, RegistrationStatus
from ..pdf import CertificateText, certificate
from ..places import slugify
from ..timeutil import now_utc, to_riga
from . import DomainError, NotFound, organisation, policy


@dataclass(frozen=True)
class CertificateFile:
    filename: str
    data: bytes


def _hours(event: Event) -> str:
    """The event's length in hours, to the half hour ("2", "3,5")."""
    hours = Decimal((event.ends_at - event.starts_at).total_seconds()) / 3600
    halves = (hours * 2).quantize(Decimal(1), rounding=ROUND_HALF_UP) / 2
    return f"{halves.normalize():f}".replace(".", ",")


def _place(event: Event) -> str:
    if event.is_online:
        return _("Online")
    parts = [event.venue_name, event.venue_address, event.place]
    return ", ".join(dict.fromkeys(part for part in parts if part))


def _facts(event: Event) -> list[tuple[str, str]]:
    start, end = to_riga(event.starts_at), to_riga(event.ends_at)
    day = long_date(start)
    if end.date() != start.date():
        day = f"{day} – {long_date(end)}"
    facts = [
        (_("Date"), day),
        (_("Place"), _place(event)),
        (_("Length"), _("%(hours)s hours", hours=_hours(event))),
    ]
    project = event.project
    if project is not None:
        facts.append(
            (_("Project"), f"{project.title} ({project.code})" if project.code else project.title)
        )
        if project.funder:
            funder = (
                f"{project.funder}, {project.programme}" if project.programme else project.funder
            )
            facts.append((_("Funder"), funder))
    return facts


def _text(registration: Registration) -> CertificateText:
    event = registration.event
    project = event.project
    return CertificateText(
        title=_("Certificate of attendance"),
        lead=_("This certifies that"),
        name=registration.full_name,
        action=_("took part in the event"),
        event_title=event.title,
        facts=_facts(event),
        organisation=organisation.details().name,
        signature_label=_("Signature of the organisation's representative"),
        issued=_("Issued on %(date)s", date=long_date(to_riga(now_utc()))),
        footer=(project.funding_line or "") if project is not None else "",
    )


def _filename(registration: Registration) -> str:
    return f"apliecinajums-{slugify(registration.full_name)[:60].strip('-') or registration.id}.pdf"


def _render(registration: Registration) -> CertificateFile:
    with force_locale(registration.language or "lv"):
        data = certificate(_text(registration), created=now_utc())
    return CertificateFile(_filename(registration), data)


def certificate_for(registration_id: int) -> CertificateFile:
    """The person's certificate; DomainError (why not) for someone who has none."""
    registration = db.session.get(Registration, registration_id)
    if registration is None:
        raise NotFound(_("This registration was not found."))
    refusal = policy.certificate_refusal(registration)
    if refusal is not None:
        raise DomainError(refusal)
    return _render(registration)


def event_certificates(event_id: int) -> CertificateFile:
    """A ZIP of the certificates of everyone who has one; DomainError when nobody has."""
    event = db.session.get(Event, event_id)
    if event is None:
        raise NotFound(_("This event was not found."))
    attended = db.session.scalars(
        sa.select(Registration)
        .where(
            Registration.event_id == event.id,
            Registration.status != RegistrationStatus.CANCELLED,
            Registration.attendance == Attendance.ATTENDED,
        )
        .order_by(Registration.last_name, Registration.first_name, Registration.id)
    )
    files = [_render(r) for r in attended if policy.has_certificate(r)]
    if not files:
        raise DomainError(
            _("Nobody has a certificate yet: they are for people marked present, after the event.")
        )
    buffer = io.BytesIO()
    names: set[str] = set()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, file in enumerate(files, start=1):
            name = file.filename if file.filename not in names else f"{number}-{file.filename}"
            names.add(name)
            archive.writestr(name, file.data)
    day = to_riga(event.starts_at).date().isoformat()
    return CertificateFile(
        f"apliecinajumi-{slugify(event.title)[:60].strip('-')}-{day}.zip", buffer.getvalue()
    )
