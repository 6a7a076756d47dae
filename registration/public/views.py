"""Public pages: upcoming events, the archive, an event with its sign-up form, and a
person's private registration page. Views parse, call a service, render or redirect."""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _

from ..calendar.ics import personal_calendar
from ..i18n import LANGUAGE_COOKIE, current_language
from ..models import EventKind, RegistrationStatus
from ..places import place_by_slug
from ..render_cache import app_cache
from ..services import DomainError, booking, events, policy, posts, site_version, tokens
from ..timeutil import group_by_riga_month
from ..urls import external_url, local_path
from ..web import no_referrer
from . import bp
from .forms import ChangeDetailsForm, ConfirmForm, SignUpForm
from .structured_data import event_json_ld

ARCHIVE_PAGE_SIZE = 50
#: News posts on the home page, under the upcoming events.
LATEST_POSTS = 3
#: Beyond any real archive; keeps the offset within the database's integers.
MAX_ARCHIVE_PAGE = 10_000
SIGNUP_RESULT_KEY = "signup_result"


def filters_from_query() -> tuple[EventKind | None, str | None]:
    """The kind and place filters from the query string; unknown values are a 404."""
    kind = place = None
    if kind_value := request.args.get("veids"):
        try:
            kind = EventKind(kind_value)
        except ValueError:
            abort(404)
    if place_slug := request.args.get("vieta"):
        place = place_by_slug(place_slug)
        if place is None:
            abort(404)
    return kind, place


@bp.get("/")
def index():
    kind, place = filters_from_query()

    def render():
        upcoming = events.upcoming_events(kind=kind, place=place)
        html = render_template(
            "public/index.html",
            months=group_by_riga_month(upcoming),
            kind=kind,
            place=place,
            places=_places(upcoming, filtered=kind is not None or place is not None),
            kinds=list(EventKind),
            state_of=policy.registration_state,
            latest_posts=posts.latest(LATEST_POSTS),
        )
        moments = [events.next_state_change(upcoming), posts.next_scheduled()]
        return html, min((m for m in moments if m is not None), default=None)

    if session.get("_flashes"):
        return render()[0]  # a message meant for this visitor alone: never cache it
    # The whole path: the page links back to it (language switch).
    key = (current_language(), request.full_path)
    return app_cache("upcoming").get_or_render(key, public_version, render)


def _places(upcoming, *, filtered: bool) -> list[str]:
    """The places to filter by: of all upcoming events (those listed, when unfiltered)."""
    if filtered:
        return list(events.places_with_upcoming_events())
    return events.sorted_places({event.place for event in upcoming if event.place})


def public_version() -> tuple:
    """What the cached public pages are built from: events, posts and the organisation
    (its name is in every header)."""
    return site_version.public_version()


@bp.get("/arhivs")
def archive():
    page = request.args.get("lapa", 1, type=int)
    if not 1 <= page <= MAX_ARCHIVE_PAGE:
        abort(404)
    found = events.past_events(ARCHIVE_PAGE_SIZE + 1, (page - 1) * ARCHIVE_PAGE_SIZE)
    return render_template(
        "public/archive.html",
        events=found[:ARCHIVE_PAGE_SIZE],
        page=page,
        has_next=len(found) > ARCHIVE_PAGE_SIZE,
    )


def _render_event(event, form, status=200, error=None):
    return (
        render_template(
            "public/event.html",
            event=event,
            form=form,
            state=policy.registration_state(event),
            error=error,
            json_ld=event_json_ld(event),
        ),
        status,
    )


@bp.route("/notikumi/<slug>", methods=["GET", "POST"])
def event_detail(slug: str):
    event = events.public_event(slug)
    if event is None:
        abort(404)
    form = SignUpForm(event)
    if request.method == "GET" or not form.validate_on_submit():
        return _render_event(event, form, 422 if form.errors else 200)
    if form.is_bot:
        outcome, position = booking.hypothetical_outcome(event)
        return _remember_result_and_redirect(event, outcome, position, form.email.data)

    details = form.to_command(
        language=current_language(),
        notice_version=current_app.config["PRIVACY_NOTICE_VERSION"],
    )
    try:
        result = booking.sign_up(event.id, details)
    except booking.EventNotFound:
        abort(404)
    except DomainError as error:
        return _render_event(events.public_event(slug), form, 409, error=error.message)

    outcome, position = result.outcome, result.position
    if outcome is booking.Outcome.DUPLICATE:
        # The same page as for a new sign-up: it must not reveal that the address is known.
        if result.refusal:
            return _render_event(events.public_event(slug), form, 409, error=result.refusal)
        outcome, position = booking.hypothetical_outcome(events.public_event(slug))
    return _remember_result_and_redirect(event, outcome, position, form.email.data)


def mask_email(address: str) -> str:
    """'ilze.kalnina@example.lv' -> 'i***@example.lv'."""
    local, _, domain = address.strip().partition("@")
    return f"{local[:1]}***@{domain}"


def _remember_result_and_redirect(event, outcome, position, email):
    session[SIGNUP_RESULT_KEY] = {
        "event": event.id,
        "outcome": outcome.value,
        "position": position,
        # Enough for the person to recognise the address; the cookie is readable.
        "email": mask_email(email),
    }
    return redirect(url_for("public.signup_done", slug=event.slug), code=303)


@bp.get("/notikumi/<slug>/pieteikums")
def signup_done(slug: str):
    event = events.public_event(slug)
    result = session.get(SIGNUP_RESULT_KEY)
    if event is None or not result or result.get("event") != event.id:
        return redirect(url_for("public.event_detail", slug=slug))
    return render_template(
        "public/signup_done.html",
        event=event,
        outcome=booking.Outcome(result["outcome"]),
        position=result.get("position"),
        email=result.get("email"),
    )


def _registration_or_404(token: str):
    registration = tokens.find_by_token(token)
    if registration is None:
        abort(404)
    return registration


def _render_manage(registration, token, form, status=200, error=None):
    response = make_response(
        render_template(
            "public/manage.html",
            registration=registration,
            event=registration.event,
            token=token,
            form=form,
            position=booking.waiting_position(registration),
            error=error,
            can_cancel=policy.can_cancel(registration),
            can_edit=policy.can_edit_details(registration),
            shows_join_link=policy.sees_join_link(registration),
        ),
        status,
    )
    return no_referrer(response)


@bp.route("/pieteikums/<token>", methods=["GET", "POST"])
def manage(token: str):
    """The person's private page: see, change or cancel the registration."""
    registration = _registration_or_404(token)
    form = ChangeDetailsForm(
        registration.event,
        phone=registration.phone,
        needs=registration.needs,
        pickup_stop=str(registration.pickup_stop_id or ""),
    )
    if request.method == "GET" or not form.validate_on_submit():
        return _render_manage(registration, token, form, 422 if form.errors else 200)
    try:
        booking.update_details(registration.id, **form.to_command())
    except DomainError as error:
        return _render_manage(registration, token, form, 409, error=error.message)
    flash(_("Your changes have been saved."), "success")
    return no_referrer(redirect(url_for("public.manage", token=token), code=303))


@bp.route("/pieteikums/<token>/atcelt", methods=["GET", "POST"])
def cancel(token: str):
    """Cancelling asks once more; only the POST changes anything."""
    registration = _registration_or_404(token)
    form = ConfirmForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            booking.cancel(registration.id)
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(_("Your registration has been cancelled."), "success")
        return no_referrer(redirect(url_for("public.manage", token=token), code=303))
    if registration.status is RegistrationStatus.CANCELLED:
        return no_referrer(redirect(url_for("public.manage", token=token)))
    return no_referrer(
        make_response(
            render_template(
                "public/cancel.html",
                registration=registration,
                event=registration.event,
                token=token,
                form=form,
            )
        )
    )


@bp.get("/valoda/<code>")
def set_language(code: str):
    """Remember the chosen language for a year and go back where the visitor was."""
    if code not in current_app.config["LANGUAGES"]:
        abort(404)
    response = redirect(local_path(request.args.get("next")) or url_for("public.index"))
    response.set_cookie(
        LANGUAGE_COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True
    )
    return response


@bp.get("/privatums")
def privacy():
    return render_template("public/privacy.html")


@bp.get("/pieteikums/<token>/kalendars.ics")
def manage_calendar(token: str):
    """The person's own calendar entry (with their pickup stop or join link)."""
    registration = _registration_or_404(token)
    if not registration.is_active:
        abort(404)
    response = make_response(
        personal_calendar(registration, external_url("public.manage", token=token))
    )
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{registration.event.slug}.ics"'
    )
    return no_referrer(response)
