"""The audit log, for administrators."""

from __future__ import annotations

from flask import abort, render_template, request

from ..services import audit
from . import bp
from .access import admin_required


@bp.get("/audit")
@admin_required
def audit_log():
    page = request.args.get("page", "1")
    if not page.isdigit() or int(page) < 1:
        abort(404)
    entries, has_more = audit.recent_entries(page=int(page))
    return render_template("admin/audit.html", entries=entries, page=int(page), has_more=has_more)
