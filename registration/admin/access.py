"""Who may open the back office: one table of screens and the role each needs.

The check runs before every request to the blueprint. A screen missing from `ACCESS` is
refused to everyone, so a new one stays closed until someone decides who may use it; a test
holds the table and the routes to each other. Sessions end after PERMANENT_SESSION_LIFETIME
counted from the login (not from the last click), and whenever the account's session
generation moves on (logout, deactivation, reactivation, a new password: see
`Organiser.end_sessions`). The session cookie is signed, not stored on the server, so a copy
of it stays valid until the generation it carries is no longer the account's.
"""

from __future__ import annotations

from datetime import datetime

from flask import abort, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from ..extensions import login_manager
from ..models import Organiser, OrganiserRole
from ..timeutil import now_utc
from . import bp

#: Anyone may open the screen (the login page).
ANYONE = None
_ORGANISER, _ADMIN = OrganiserRole.ORGANISER, OrganiserRole.ADMIN

#: Every screen of the back office and the role it needs; administrators may open all.
ACCESS: dict[str, OrganiserRole | None] = {
    "admin.login": ANYONE,
    "admin.logout": _ORGANISER,
    # events
    "admin.events": _ORGANISER,
    "admin.event": _ORGANISER,
    "admin.event_new": _ORGANISER,
    "admin.event_edit": _ORGANISER,
    "admin.event_publish": _ORGANISER,
    "admin.event_unpublish": _ORGANISER,
    "admin.event_cancel": _ORGANISER,
    "admin.event_duplicate": _ORGANISER,
    "admin.message": _ORGANISER,
    # after the event
    "admin.feedback_page": _ORGANISER,
    "admin.feedback_question_new": _ORGANISER,
    "admin.feedback_send": _ORGANISER,
    "admin.feedback_export": _ORGANISER,
    "admin.certificates_zip": _ORGANISER,
    "admin.participant_certificate": _ORGANISER,
    "admin.project_feedback": _ORGANISER,
    "admin.questions_list": _ORGANISER,
    "admin.question_new": _ORGANISER,
    "admin.question_edit": _ORGANISER,
    "admin.question_up": _ORGANISER,
    "admin.question_down": _ORGANISER,
    "admin.question_remove": _ORGANISER,
    # participants and the day itself
    "admin.participants_list": _ORGANISER,
    "admin.participant_new": _ORGANISER,
    "admin.participant_edit": _ORGANISER,
    "admin.participant_cancel": _ORGANISER,
    "admin.participant_erase": _ORGANISER,
    "admin.participant_confirm": _ORGANISER,
    "admin.checkin": _ORGANISER,
    "admin.checkin_mark": _ORGANISER,
    "admin.checkin_seat": _ORGANISER,
    "admin.checkin_walk_in": _ORGANISER,
    # lists and figures
    "admin.export_csv": _ORGANISER,
    "admin.export_xlsx": _ORGANISER,
    "admin.sign_in_sheet": _ORGANISER,
    "admin.passenger_list": _ORGANISER,
    "admin.overview": _ORGANISER,
    "admin.event_overview": _ORGANISER,
    "admin.overview_download": _ORGANISER,
    "admin.event_overview_download": _ORGANISER,
    # undelivered email
    "admin.failed_mail": _ORGANISER,
    "admin.failed_mail_retry": _ORGANISER,
    # cleaning up after junk sign-ups
    "admin.junk_review": _ORGANISER,
    "admin.blocklist_page": _ORGANISER,
    "admin.blocklist_remove": _ORGANISER,
    # accounts and the audit log
    # the public side: projects, news posts, result documents
    "admin.project_list": _ORGANISER,
    "admin.project": _ORGANISER,
    "admin.project_new": _ORGANISER,
    "admin.project_edit": _ORGANISER,
    "admin.project_status": _ORGANISER,
    "admin.project_report": _ORGANISER,
    "admin.project_report_xlsx": _ORGANISER,
    "admin.project_report_pdf": _ORGANISER,
    "admin.project_participants_csv": _ORGANISER,
    "admin.project_participants_xlsx": _ORGANISER,
    "admin.project_evidence_pack": _ORGANISER,
    "admin.post_list": _ORGANISER,
    "admin.post_new": _ORGANISER,
    "admin.post_edit": _ORGANISER,
    "admin.post_publish": _ORGANISER,
    "admin.post_unpublish": _ORGANISER,
    "admin.document_new": _ORGANISER,
    "admin.document_edit": _ORGANISER,
    "admin.document_replace": _ORGANISER,
    "admin.document_publish": _ORGANISER,
    "admin.document_unpublish": _ORGANISER,
    "admin.document_move": _ORGANISER,
    # the organisation's own details, accounts and the audit log
    "admin.organisation_details": _ADMIN,
    "admin.organiser_list": _ADMIN,
    "admin.organiser_new": _ADMIN,
    "admin.organiser_deactivate": _ADMIN,
    "admin.organiser_activate": _ADMIN,
    "admin.organiser_password": _ADMIN,
    "admin.audit_log": _ADMIN,
}

_LOGIN_AT = "admin_login_at"
_GENERATION = "admin_session_generation"


def start_session(organiser: Organiser) -> None:
    """Log `organiser` in with a fresh session (nothing carried over from before)."""
    session.clear()
    login_user(organiser)
    session.permanent = True
    session[_LOGIN_AT] = now_utc().timestamp()
    session[_GENERATION] = organiser.session_generation


def end_session() -> None:
    """Forget the login in this browser (the account's other sessions are not touched)."""
    logout_user()
    session.clear()


def _session_is_stale(organiser: Organiser) -> bool:
    started = session.get(_LOGIN_AT)
    if not isinstance(started, int | float):
        return True
    lifetime = current_app.permanent_session_lifetime
    if now_utc() - datetime.fromtimestamp(started, now_utc().tzinfo) > lifetime:
        return True
    return session.get(_GENERATION) != organiser.session_generation


@bp.before_request
def require_role():
    if request.endpoint not in ACCESS:
        abort(403)
    role = ACCESS[request.endpoint]
    if current_user.is_authenticated and _session_is_stale(current_user):
        end_session()
        # The login page itself shows its form rather than waving an ended session through.
        if role is not ANYONE:
            flash(_("Your session has ended. Please log in again."), "warning")
            return redirect(url_for("admin.login", next=request.full_path.rstrip("?")))
    if role is ANYONE:
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if role is _ADMIN and not current_user.is_admin:
        abort(403)
    return None


@bp.after_request
def private_pages(response):
    # Lists of people must not stay in a shared computer's cache or a proxy.
    response.headers["Cache-Control"] = "private, no-store"
    return response


def current_organiser() -> Organiser:
    """The logged-in organiser as a plain model object (not the proxy)."""
    return current_user._get_current_object()  # type: ignore[attr-defined]
