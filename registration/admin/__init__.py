"""The organisers' back office, under /admin: one module per screen."""

from __future__ import annotations

from flask import Blueprint, Response, request
from flask_babel import lazy_gettext as _l

from ..errors import render_error
from ..extensions import db, login_manager
from ..models import Organiser
from ..services import NotFound

bp = Blueprint("admin", __name__)

login_manager.login_view = "admin.login"
login_manager.login_message = _l("Please log in to open this page.")
login_manager.login_message_category = "warning"
# Flashed as a plain string (a lazy one would be stored in the session as Markup).
login_manager.localize_callback = str


@login_manager.user_loader
def load_organiser(organiser_id: str) -> Organiser | None:
    if not organiser_id.isdigit():
        return None
    organiser = db.session.get(Organiser, int(organiser_id))
    return organiser if organiser and organiser.active else None


@bp.errorhandler(NotFound)
def not_found(error: NotFound):
    # A row that went away between loading the page and acting on it.
    return render_error(404)


@bp.after_request
def form_shown_again(response: Response) -> Response:
    """A form that was sent and is shown again (not redirected) has something to correct:
    422, as the public forms answer, so that browsers, tests and logs can tell."""
    if (
        request.method == "POST"
        and response.status_code == 200
        and response.mimetype == "text/html"
    ):
        response.status_code = 422
    return response


from . import (  # noqa: E402, F401
    access,
    audit_log,
    auth,
    checkin,
    dashboard,
    documents,
    events,
    exports,
    failed_mail,
    feedback,
    junk,
    messages,
    organisation,
    organisers,
    participants,
    posts,
    projects,
    questions,
    reports,
    templating,
    uploading,
)
