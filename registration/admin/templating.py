"""Names the back-office templates share: translated labels of the model's states."""

from __future__ import annotations

from .. import admin_labels as labels
from ..labels import KIND_LABELS, KIND_PLURALS, STATUS_LABELS
from ..mail import undelivered
from . import bp


@bp.context_processor
def admin_labels() -> dict:
    return {
        "kind_labels": KIND_LABELS,
        "kind_plurals": KIND_PLURALS,
        "status_labels": labels.EVENT_STATUSES,
        "project_status_labels": labels.PROJECT_STATUSES,
        "post_status_labels": labels.POST_STATUSES,
        "registration_status_labels": STATUS_LABELS,
        "attendance_labels": labels.ATTENDANCE,
        "source_labels": labels.SOURCES,
        "cancel_reason_labels": labels.CANCEL_REASONS,
        "flag_labels": labels.JUNK_FLAGS,
        "role_labels": labels.ROLES,
        "action_labels": labels.AUDIT_ACTIONS,
        "audience_labels": labels.MESSAGE_AUDIENCES,
        "format_labels": labels.EXPORT_FORMATS,
        "field_names": labels.field_names,
        "attendance_labels_by_value": {k.value: v for k, v in labels.ATTENDANCE.items()},
        "source_labels_by_value": {k.value: v for k, v in labels.SOURCES.items()},
        # A function, so the count is only asked for where the navigation is shown.
        "failed_mail_count": undelivered.failed_count,
    }
