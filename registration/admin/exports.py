"""Participant lists for the funder, the registration desk and the bus driver.

Each download or printable list is personal data leaving the system: it is recorded in the
audit log.
"""

from __future__ import annotations

from flask import Response, abort, render_template, request

from ..i18n import current_language
from ..services import audit, exports
from . import bp
from .access import current_organiser
from .lookup import event_or_404, number_arg

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _scope() -> str:
    scope = request.args.get("scope", "active")
    if scope not in exports.SCOPES:
        abort(404)
    return scope


def _record(event, kind: str, **details) -> None:
    audit.record_export(current_organiser(), kind, event=event, **details)


def _download(body: bytes, mimetype: str, name: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers.set("Content-Disposition", "attachment", filename=name)
    return response


@bp.get("/events/<id:event_id>/participants.csv")
def export_csv(event_id: int):
    event = event_or_404(event_id)
    scope = _scope()
    body = exports.to_csv(event, scope)
    _record(event, "csv", scope=scope)
    return _download(body, "text/csv", exports.filename(event, "dalibnieki", "csv"))


@bp.get("/events/<id:event_id>/participants.xlsx")
def export_xlsx(event_id: int):
    event = event_or_404(event_id)
    scope = _scope()
    body = exports.to_xlsx(event, scope)
    _record(event, "xlsx", scope=scope)
    return _download(body, XLSX_TYPE, exports.filename(event, "dalibnieki", "xlsx"))


@bp.get("/events/<id:event_id>/sign-in-sheet")
def sign_in_sheet(event_id: int):
    event = event_or_404(event_id)
    # More than the sheet takes is cut down to its maximum there.
    sheet = exports.sign_in_sheet(event, number_arg("blank", 8, low=0))
    _record(event, "sign_in_sheet")
    return render_template("admin/sign_in_sheet.html", sheet=sheet, event=event)


@bp.get("/events/<id:event_id>/passengers")
def passenger_list(event_id: int):
    event = event_or_404(event_id)
    if not event.is_trip and not event.pickup_stops:
        abort(404)
    groups = exports.passenger_list(event)
    _record(event, "passenger_list")
    return render_template(
        "admin/passengers.html",
        event=event,
        groups=groups,
        answer_texts=exports.passenger_answers(event, groups, current_language()),
    )
