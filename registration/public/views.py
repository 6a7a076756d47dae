"""Public pages: upcoming events, the archive, an event with its sign-up form, and a
person's private registration page. Views parse, call a service, render or redirect."""

from __future__ import annotations

from datetime import date

from flask import (
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from ..extensions import limiter
from ..i18n import LANGUAGE_COOKIE, current_language
from ..models import EventKind
from ..places import place_by_slug
from ..ratelimits import client_address, client_network, network_hash, too_many_requests
from ..render_cache import app_cache
from ..services import (
    DomainError,
    booking,
    documents,
    events,
    groups,
    policy,
    posts,
    seats,
    signup_guard,
    site_version,
)
from ..services.answers import InvalidAnswers
from ..services.groups import InvalidCompanion
from ..timeutil import group_by_riga_month
from ..urls import local_path
from . import bot_signals, bp
from .event_page import event_page
from .forms import sign_up_form
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
        # Kept encoded: encoding a long page of Latvian text costs more than serving it.
        return html.encode(), min((m for m in moments if m is not None), default=None)

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


def _render_event(event, form, status=200, error=None, **context):
    return (
        render_template(
            "public/event.html",
            event=event,
            form=form,
            state=policy.registration_state(event),
            first_waiting=seats.first_waiting_size(event) if event.seats_left else None,
            error=error,
            json_ld=event_json_ld(event),
            materials=documents.event_materials(event.id) if event.is_past else [],
            **context,
        ),
        status,
    )


def _address_limit() -> str:
    return current_app.config["SIGNUP_LIMIT_PER_ADDRESS"]


def _network_limit() -> str:
    return current_app.config["SIGNUP_LIMIT_PER_NETWORK"]


@bp.get("/notikumi/<slug>")
def event_detail(slug: str):
    """The page as kept for every visitor, with this visitor's token and stamp filled in."""
    page = event_page(slug, _render_event)
    if page is None:
        abort(404)
    return page


# The same address; apart so that reading the page pays nothing for the sign-up limits.
@bp.post("/notikumi/<slug>")
@limiter.limit(_address_limit, key_func=client_address)
@limiter.limit(_network_limit, key_func=client_network)
def event_sign_up(slug: str):
    event = events.public_event(slug, with_parts=True)
    if event is None:
        abort(404)
    form = sign_up_form(event, current_language())
    if not form.validate_on_submit():
        return _render_event(event, form, 422 if form.errors else 200)
    size = 1 + form.companion_count
    verdict = bot_signals.inspect(form.website.data, form.stamp.data)
    if verdict.automated:
        return _as_if_signed_up(event, form, size)

    details = form.to_command(
        language=current_language(),
        notice_version=current_app.config["PRIVACY_NOTICE_VERSION"],
    )
    provenance = signup_guard.Provenance(network_hash=network_hash(), form_nonce=verdict.nonce)
    try:
        result = signup_guard.sign_up_online(event.id, details, provenance)
    except signup_guard.LooksAutomated:
        return _as_if_signed_up(event, form, size)
    except signup_guard.LimitReached as error:
        return too_many_requests(error.retry_after, error.what)
    except booking.EventNotFound:
        abort(404)
    except InvalidAnswers as error:
        form.show_answer_errors(error.errors)
        return _render_event(events.public_event(slug, with_parts=True), form, 409)
    except InvalidCompanion as error:
        form.show_companion_error(error.index, error.field, error.message)
        return _render_event(events.public_event(slug, with_parts=True), form, 409)
    except DomainError as error:
        # Rolled back: nothing was saved, and the event is read again as it is now.
        return _render_event(events.public_event(slug, with_parts=True), form, 409, error.message)

    # Committed. The answer is made from what is loaded (the event was read afresh under the
    # sign-up's lock), with no query: a database gone for a moment now must not turn a saved
    # sign-up into an error page. A repeated person gets the page a new one would get; it
    # shows only what they typed again (the address, lower case as compared).
    if result.outcome is booking.Outcome.DUPLICATE and result.refusal:
        return _render_event(event, form, 409, error=result.refusal)
    outcome, position = result.shown
    ids = [result.registration.id]
    return _remember_result_and_redirect(event, outcome, position, ids, form.pickup_stop_id, size)


def _as_if_signed_up(event, form, size):
    """The page a new sign-up would get now, for one that was not made (a program, a
    blocked address): nothing saved, nothing sent."""
    outcome, position = booking.hypothetical_outcome(event, size)
    return _remember_result_and_redirect(event, outcome, position, [], form.pickup_stop_id, size)


def _remember_result_and_redirect(event, outcome, position, registration_ids, stop_id, size):
    # Only ids, numbers and the outcome: the cookie is signed but readable, so the address is
    # read from the database when the page is shown.
    session[SIGNUP_RESULT_KEY] = {
        "event": event.id,
        "outcome": outcome.value,
        "position": position,
        "registrations": registration_ids,
        "stop": stop_id,
        "people": size,
    }
    return redirect(url_for("public.signup_done", slug=event.slug), code=303)


@bp.get("/notikumi/<slug>/pieteikums")
def signup_done(slug: str):
    event = events.public_event(slug)
    result = session.get(SIGNUP_RESULT_KEY)
    if event is None or not result or result.get("event") != event.id:
        return redirect(url_for("public.event_detail", slug=slug))
    found = groups.registrations_of_event(event.id, result.get("registrations") or [])
    return render_template(
        "public/signup_done.html",
        event=event,
        outcome=booking.Outcome(result["outcome"]),
        position=result.get("position"),
        email=found[0].email_key if found else None,
        people=result.get("people") or 1,
        stop=next((s for s in event.pickup_stops if s.id == result.get("stop")), None),
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


#: When the accessibility statement was last reviewed against the browser suite's checks.
ACCESSIBILITY_REVIEWED = date(2026, 11, 29)


@bp.get("/pieejamiba")
def accessibility():
    return render_template("public/accessibility.html", reviewed=ACCESSIBILITY_REVIEWED)
