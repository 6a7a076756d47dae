"""The organisers' back office, under /admin."""

from __future__ import annotations

from flask import Blueprint

from ..extensions import db, login_manager
from ..models import Organiser

bp = Blueprint("admin", __name__)


@login_manager.user_loader
def load_organiser(organiser_id: str) -> Organiser | None:
    if not organiser_id.isdigit():
        return None
    organiser = db.session.get(Organiser, int(organiser_id))
    return organiser if organiser and organiser.active else None


from . import views  # noqa: E402, F401
