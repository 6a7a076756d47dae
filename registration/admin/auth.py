"""Logging in and out of the back office."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import limiter
from ..services import organisers
from ..urls import local_path
from . import bp
from .access import current_organiser, end_session, start_session
from .forms import ActionForm, LoginForm

#: Per address; set ADMIN_LOGIN_RATE_LIMIT to change it (Flask-Limiter notation).
DEFAULT_LOGIN_RATE_LIMIT = "10 per minute;50 per hour"
#: Per account, so guessing one organiser's password from many addresses is slow too.
DEFAULT_ACCOUNT_RATE_LIMIT = "30 per hour"


def _login_limit() -> str:
    return current_app.config.get("ADMIN_LOGIN_RATE_LIMIT", DEFAULT_LOGIN_RATE_LIMIT)


def _account_limit() -> str:
    return current_app.config.get("ADMIN_ACCOUNT_RATE_LIMIT", DEFAULT_ACCOUNT_RATE_LIMIT)


def _account_key() -> str:
    return "login:" + organisers.normalise_email(request.form.get("email", ""))[:254]


def _next(target: str | None) -> str | None:
    """Where to go after logging in: a page of the back office, nowhere else."""
    return local_path(target, under="/admin")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit(_account_limit, methods=["POST"], key_func=_account_key)
def login():
    if current_user.is_authenticated:
        return redirect(_next(request.args.get("next")) or url_for("admin.events"))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        organiser = organisers.authenticate(**form.to_command())
        if organiser is not None:
            start_session(organiser)
            return redirect(_next(form.next.data) or url_for("admin.events"))
        # One message whether the email or the password was wrong.
        form.password.errors = [_("The email or the password is wrong.")]
    return render_template("admin/login.html", form=form)


@bp.post("/logout")
def logout():
    if ActionForm().validate_on_submit():
        organisers.log_out(current_organiser().id)
        end_session()
        flash(_("You have logged out."), "success")
    return redirect(url_for("admin.login"))
