"""The organisers' back office, under /admin: one module per screen."""

from __future__ import annotations

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..extensions import db, login_manager
from ..models import Organiser

bp = Blueprint("admin", __name__)

login_manager.login_view = "admin.login"
login_manager.login_message = _l("Please log in to open this page.")
login_manager.login_message_category = "warning"


@login_manager.user_loader
def load_organiser(organiser_id: str) -> Organiser | None:
    if not organiser_id.isdigit():
        return None
    organiser = db.session.get(Organiser, int(organiser_id))
    return organiser if organiser and organiser.active else None


from . import (  # noqa: E402, F401
    access,
    audit_log,
    auth,
    checkin,
    dashboard,
    events,
    exports,
    messages,
    organisers,
    participants,
    templating,
)
