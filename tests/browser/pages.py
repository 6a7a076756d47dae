"""Every page a person can reach, in the states that matter: the list the suite walks.

A new page is one line here. `path` is filled in from the world (`world.py`), e.g.
"/notikumi/{trip[slug]}"; `state` (from `states.py`) does what a person would do on the page
before it is checked (send a form empty, sign up); `audience` says who is looking. Each entry
is checked in Latvian and in English by `test_pages.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from playwright.sync_api import Page

from . import states
from .conftest import NOT_ADMIN, ORGANISER, PUBLIC


@dataclass(frozen=True)
class Visit:
    name: str
    path: str
    audience: str = PUBLIC
    #: What a person does on the page before the checks, e.g. send the form empty.
    state: Callable[[Page], None] | None = None
    #: The answer the last page load must have (422 for a form shown with errors).
    status: int = 200
    #: Printed lists: also judged at the width of A4 in print layout.
    print_layout: bool = False


# One line a page: fmt: off keeps the formatter from spreading an entry over several.
# fmt: off
PAGES: list[Visit] = [
    # Residents
    Visit("upcoming events", "/"),
    Visit("upcoming study trips", "/?veids=study_trip"),
    Visit("upcoming events in one place", "/?vieta=aizkraukle"),
    Visit("archive", "/arhivs"),
    Visit("privacy notice", "/privatums"),
    Visit("accessibility statement", "/pieejamiba"),
    Visit("think tank, open", "/notikumi/nvo-domnica-aizkraukle"),
    Visit("study trip with stops", "/notikumi/{trip[slug]}"),
    Visit("online event", "/notikumi/{online[slug]}"),
    Visit("full, waiting list", "/notikumi/{full[slug]}"),
    Visit("full, no waiting list", "/notikumi/{full_no_queue[slug]}"),
    Visit("sign-up not open yet", "/notikumi/{not_yet_open[slug]}"),
    Visit("cancelled event", "/notikumi/{cancelled[slug]}"),
    Visit("event in progress", "/notikumi/{checkin[slug]}"),
    Visit("past event", "/notikumi/{past[slug]}"),
    Visit("sign-up form with errors", "/notikumi/{trip[slug]}", state=states.send_empty, status=422),
    Visit("result: confirmed", "/notikumi/{online[slug]}", state=states.sign_up),
    Visit("result: waiting list", "/notikumi/{full[slug]}", state=states.sign_up),
    Visit("private page", "/pieteikums/{trip_token}"),
    Visit("private page, waiting", "/pieteikums/{waiting_token}"),
    Visit("private page, online", "/pieteikums/{online_token}"),
    Visit("private page, cancelled", "/pieteikums/{cancelled_token}"),
    Visit("private page with errors", "/pieteikums/{trip_token}", state=states.clear_phone, status=422),
    Visit("cancel, confirm", "/pieteikums/{trip_token}/atcelt"),
    Visit("page not found", "/notikumi/nav-tada-notikuma", status=404),
    Visit("projects", "/projekti"),
    Visit("project page", "/projekti/{project[slug]}"),
    Visit("news", "/jaunumi"),
    Visit("news post", "/jaunumi/{post[slug]}"),
    Visit("event list to embed", "/iegult/notikumi"),
    # Organisers
    Visit("log in", "/admin/login"),
    Visit("log in, wrong password", "/admin/login", state=states.wrong_password, status=422),
    Visit("events", "/admin/", ORGANISER),
    Visit("event: study trip", "/admin/events/{trip[id]}", ORGANISER),
    Visit("event: draft", "/admin/events/{draft[id]}", ORGANISER),
    Visit("event: cancelled", "/admin/events/{cancelled[id]}", ORGANISER),
    Visit("new event", "/admin/events/new", ORGANISER),
    Visit("new event with errors", "/admin/events/new", ORGANISER, states.send_empty, 422),
    Visit("edit study trip", "/admin/events/{trip[id]}/edit", ORGANISER),
    Visit("cancel event", "/admin/events/{trip[id]}/cancel", ORGANISER),
    Visit("copy event", "/admin/events/{trip[id]}/duplicate", ORGANISER),
    Visit("participants: study trip", "/admin/events/{trip[id]}/participants", ORGANISER),
    Visit("participants: full", "/admin/events/{full[id]}/participants", ORGANISER),
    Visit("participants: empty", "/admin/events/{empty[id]}/participants", ORGANISER),
    Visit("add participant", "/admin/events/{trip[id]}/participants/new", ORGANISER),
    Visit(
        "add participant with errors",
        "/admin/events/{trip[id]}/participants/new",
        ORGANISER,
        states.send_empty,
        422,
    ),
    Visit("participant", "/admin/registrations/{trip[registration]}", ORGANISER),
    Visit("participant on the waiting list", "/admin/registrations/{full[waiting]}", ORGANISER),
    Visit("cancel participant", "/admin/registrations/{trip[registration]}/cancel", ORGANISER),
    Visit("erase participant", "/admin/registrations/{trip[registration]}/erase", ORGANISER),
    Visit("check-in during the event", "/admin/events/{checkin[id]}/checkin", ORGANISER),
    Visit("check-in, walk-in with errors", "/admin/events/{checkin[id]}/checkin", ORGANISER, states.send_walk_in_empty, 422),
    Visit("write to participants", "/admin/events/{trip[id]}/message", ORGANISER),
    Visit("event figures", "/admin/events/{checkin[id]}/overview", ORGANISER),
    Visit("overview", "/admin/overview", ORGANISER),
    Visit("undelivered email", "/admin/mail/failed", ORGANISER),
    Visit("audit log", "/admin/audit", ORGANISER),
    Visit("accounts", "/admin/organisers", ORGANISER),
    Visit("new account", "/admin/organisers/new", ORGANISER),
    Visit("set a password", "/admin/organisers/1/password", ORGANISER),
    Visit("sign-in sheet", "/admin/events/{trip[id]}/sign-in-sheet", ORGANISER, print_layout=True),
    Visit("passenger list", "/admin/events/{trip[id]}/passengers", ORGANISER, print_layout=True),
    Visit("questions of an event", "/admin/events/{trip[id]}/questions", ORGANISER),
    Visit("new question", "/admin/events/{trip[id]}/questions/new", ORGANISER),
    Visit("junk review", "/admin/events/{full[id]}/junk?r={full[waiting]}", ORGANISER),
    Visit("block list", "/admin/blocklist", ORGANISER),
    Visit("projects (back office)", "/admin/projects", ORGANISER),
    Visit("project (back office)", "/admin/projects/{project[id]}", ORGANISER),
    Visit("edit project", "/admin/projects/{project[id]}/edit", ORGANISER),
    Visit("news posts", "/admin/posts", ORGANISER),
    Visit("new post", "/admin/posts/new", ORGANISER),
    Visit("edit post", "/admin/posts/{post[id]}", ORGANISER),
    Visit("new document", "/admin/documents/new", ORGANISER),
    Visit("edit document", "/admin/documents/{document}", ORGANISER),
    Visit("organisation's details", "/admin/organisation", ORGANISER),
    Visit("events, not an administrator", "/admin/", NOT_ADMIN),
    Visit("for administrators only", "/admin/audit", NOT_ADMIN, status=403),
]
# fmt: on
