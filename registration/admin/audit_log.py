"""The audit log, for administrators."""

from __future__ import annotations

from flask import abort, render_template

from ..services import audit
from . import bp
from .lookup import number_arg

#: Beyond this the page number is nonsense (a hundred entries a page: ten million entries).
MAX_PAGE = 100_000


@bp.get("/audit")
def audit_log():
    page = number_arg("page", 1, high=MAX_PAGE)
    entries, has_more = audit.recent_entries(page=page)
    if page > 1 and not entries:
        abort(404)
    return render_template("admin/audit.html", entries=entries, page=page, has_more=has_more)
