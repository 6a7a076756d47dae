"""Names the back office and its exports show for the model's states, actions and fields.

Event kinds and registration states are in `registration.labels` (`KIND_LABELS`,
`STATUS_LABELS`): the public pages use the same words, under the same names.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .models import (
    Attendance,
    AuditAction,
    CancelReason,
    EventStatus,
    OrganiserRole,
    PostStatus,
    ProjectStatus,
    QuestionKind,
    RegistrationSource,
)
from .services.junk import Flag

QUESTION_KINDS = {
    QuestionKind.SHORT_TEXT: _l("Short text"),
    QuestionKind.LONG_TEXT: _l("Long text"),
    QuestionKind.ONE_CHOICE: _l("One choice"),
    QuestionKind.SEVERAL_CHOICES: _l("Several choices"),
    QuestionKind.YES_NO: _l("Yes or no"),
    QuestionKind.NUMBER: _l("Number"),
    QuestionKind.DATE: _l("Date"),
}

EVENT_STATUSES = {
    EventStatus.DRAFT: _l("Draft"),
    EventStatus.PUBLISHED: _l("Published"),
    EventStatus.CANCELLED: _l("Cancelled"),
}

PROJECT_STATUSES = {
    ProjectStatus.DRAFT: _l("Draft"),
    ProjectStatus.PUBLISHED: _l("Published"),
    ProjectStatus.ARCHIVED: _l("Archived"),
}

POST_STATUSES = {
    PostStatus.DRAFT: _l("Draft"),
    PostStatus.PUBLISHED: _l("Published"),
    PostStatus.UNPUBLISHED: _l("Withdrawn"),
}

ATTENDANCE = {
    Attendance.ATTENDED: _l("Attended"),
    Attendance.ABSENT: _l("Did not attend"),
}

SOURCES = {
    RegistrationSource.ONLINE: _l("Online form"),
    RegistrationSource.ORGANISER: _l("Added by an organiser"),
    RegistrationSource.WALK_IN: _l("Walk-in"),
}

ROLES = {
    OrganiserRole.ADMIN: _l("Administrator"),
    OrganiserRole.ORGANISER: _l("Organiser"),
}

AUDIT_ACTIONS = {
    AuditAction.EVENT_CREATED: _l("created the event"),
    AuditAction.EVENT_CHANGED: _l("changed the event"),
    AuditAction.EVENT_PUBLISHED: _l("published the event"),
    AuditAction.EVENT_UNPUBLISHED: _l("withdrew the event from publication"),
    AuditAction.EVENT_CANCELLED: _l("cancelled the event"),
    AuditAction.EVENT_DUPLICATED: _l("made the event as a copy"),
    AuditAction.EXPORTED: _l("exported participant data"),
    AuditAction.REGISTRATION_ADDED: _l("added a participant"),
    AuditAction.REGISTRATION_CHANGED: _l("changed a participant's details"),
    AuditAction.REGISTRATION_CANCELLED: _l("cancelled a registration"),
    AuditAction.REGISTRATION_CONFIRMED: _l("gave a seat from the waiting list"),
    AuditAction.ATTENDANCE_MARKED: _l("marked attendance"),
    AuditAction.MESSAGE_SENT: _l("wrote to participants"),
    AuditAction.ACCOUNT_CREATED: _l("created an account"),
    AuditAction.ACCOUNT_DISABLED: _l("deactivated an account"),
    AuditAction.ACCOUNT_ENABLED: _l("reactivated an account"),
    AuditAction.PASSWORD_RESET: _l("set a new password"),
    AuditAction.PROJECT_CREATED: _l("created the project"),
    AuditAction.PROJECT_CHANGED: _l("changed the project"),
    AuditAction.PROJECT_PUBLISHED: _l("published the project's page"),
    AuditAction.PROJECT_ARCHIVED: _l("archived the project"),
    AuditAction.POST_CREATED: _l("wrote a news post"),
    AuditAction.POST_CHANGED: _l("changed a news post"),
    AuditAction.POST_PUBLISHED: _l("published a news post"),
    AuditAction.POST_UNPUBLISHED: _l("withdrew a news post"),
    AuditAction.DOCUMENT_ADDED: _l("published a document"),
    AuditAction.DOCUMENT_CHANGED: _l("changed a document"),
    AuditAction.DOCUMENT_REPLACED: _l("replaced a document's file"),
    AuditAction.DOCUMENT_PUBLISHED: _l("published a document again"),
    AuditAction.DOCUMENT_UNPUBLISHED: _l("withdrew a document"),
    AuditAction.ORGANISATION_CHANGED: _l("changed the organisation's details"),
    AuditAction.JUNK_REMOVED: _l("removed sign-ups as junk"),
    AuditAction.ADDRESS_BLOCKED: _l("blocked an address"),
    AuditAction.ADDRESS_UNBLOCKED: _l("took an address off the block list"),
}

CANCEL_REASONS = {
    CancelReason.PERSON: _l("cancelled by the person"),
    CancelReason.ORGANISER: _l("cancelled by an organiser"),
    CancelReason.UNCONFIRMED: _l("not confirmed in time"),
    CancelReason.JUNK: _l("removed as junk"),
}

#: Why a sign-up looks suspicious (services/junk.py).
JUNK_FLAGS = {
    Flag.NETWORK_BURST: _l("many from one network"),
    Flag.DOMAIN_BURST: _l("many on one mail domain"),
    Flag.UNCONFIRMED: _l("not yet confirmed"),
}

#: Event fields as the audit log and change notices name them.
EVENT_FIELDS = {
    "title": _l("title"),
    "kind": _l("kind"),
    "project_id": _l("project"),
    "slug": _l("web address"),
    "summary": _l("summary"),
    "description": _l("description"),
    "audience": _l("audience"),
    "starts_at": _l("start"),
    "ends_at": _l("end"),
    "venue_name": _l("venue"),
    "venue_address": _l("address"),
    "place": _l("parish or town"),
    "is_online": _l("online"),
    "online_url": _l("join link"),
    "capacity": _l("capacity"),
    "has_waiting_list": _l("waiting list"),
    "registration_opens_at": _l("sign-up opens"),
    "registration_closes_at": _l("sign-up closes"),
    "requires_phone": _l("phone required"),
    "contact_name": _l("contact person"),
    "contact_email": _l("contact email"),
    "contact_phone": _l("contact phone"),
    "practical_info": _l("practical information"),
    "reminder_hours": _l("reminder"),
    "notify_organiser": _l("sign-up notices"),
    "confirm_within_hours": _l("email confirmation"),
    "pickup_stops": _l("pickup stops"),
    "programme": _l("programme"),
    "organiser_note": _l("organiser's note"),
    "attendance": _l("attendance"),
    "erased": _l("personal data erased on request"),
    # projects, posts, documents and the organisation
    "code": _l("project number"),
    "funder": _l("funder"),
    "starts_on": _l("start"),
    "ends_on": _l("end"),
    "amount": _l("amount"),
    "support_intensity": _l("support intensity"),
    "implementation_place": _l("place of implementation"),
    "goal": _l("goal"),
    "activities": _l("activities"),
    "expected_results": _l("expected results"),
    "target_groups": _l("target groups"),
    "funding_line": _l("funding line"),
    "funder_logo": _l("funder's logo"),
    "lead": _l("lead"),
    "body": _l("text"),
    "published_at": _l("publication time"),
    "event_ids": _l("events"),
    "photo": _l("photo"),
    "photo_alt": _l("photo description"),
    "event_id": _l("event"),
    "position": _l("order"),
    "name": _l("name"),
    "registration_number": _l("registration number"),
    "email": _l("email"),
    "phone": _l("phone"),
    "website": _l("website"),
    "logo": _l("logo"),
}

EXPORT_FORMATS = {
    "csv": _l("CSV table"),
    "xlsx": _l("Excel table"),
    "sign_in_sheet": _l("sign-in sheet"),
    "passenger_list": _l("passenger list"),
    "overview_csv": _l("overview table"),
    "report_xlsx": _l("activity report (Excel)"),
    "report_pdf": _l("activity report (PDF)"),
    "project_csv": _l("project's participants (CSV)"),
    "project_xlsx": _l("project's participants (Excel)"),
    "evidence_pack": _l("evidence pack (ZIP)"),
}

MESSAGE_AUDIENCES = {
    "confirmed": _l("confirmed participants"),
    "waitlisted": _l("people on the waiting list"),
    "all": _l("everyone registered"),
    "attended": _l("those who attended"),
    "absent": _l("those who had a seat and did not come"),
}


def field_names(fields) -> str:
    """'start, venue' for a list of field keys, in the reader's language."""
    return ", ".join(str(EVENT_FIELDS.get(name, name)) for name in fields)
