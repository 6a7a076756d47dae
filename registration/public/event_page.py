"""The event page as a first-time visitor sees it, rendered once per event and language and
kept per process, with slots for what is each visitor's own.

A rush lands on one event's page; rendering it (the sign-up form through its widgets and
macros) cost more than everything else the request does. The page is rendered with
placeholders where the CSRF token and the form's signed stamp go, split there, and each
request fills in a token and a stamp of its own. Anything else personal (a message flashed to
this visitor, a form sent back with errors) is never cached: those requests render the page
as before. The kept page is rebuilt when the public data version changes (asked at most every
LIST_CACHE_RECHECK_SECONDS, as the upcoming-events list does, so seat counts are never
staler than the list's), or when the event opens, closes or ends.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass

from flask import request, session
from flask_wtf.csrf import generate_csrf

from ..i18n import current_language
from ..render_cache import app_cache
from ..services import events, site_version
from .bot_signals import new_stamp
from .forms import SignUpForm, sign_up_form

#: Placeholders, random per process so that no event text can contain them by chance.
_NONCE = secrets.token_hex(16)
CSRF_SLOT = f"csrf-slot-{_NONCE}"
STAMP_SLOT = f"stamp-slot-{_NONCE}"
#: Event pages kept per process (per language and address).
KEPT_PAGES = 512


@dataclass(frozen=True)
class SlottedPage:
    """A rendered page cut at its slots: parts[0] slots[0] parts[1] … parts[-1]."""

    parts: tuple[str, ...]
    slots: tuple[str, ...]

    @classmethod
    def cut(cls, html: str) -> SlottedPage:
        parts, slots = [], []
        rest = html
        while True:
            found = [(rest.find(slot), slot) for slot in (CSRF_SLOT, STAMP_SLOT)]
            found = [(at, slot) for at, slot in found if at >= 0]
            if not found:
                break
            at, slot = min(found)
            parts.append(rest[:at])
            slots.append(slot)
            rest = rest[at + len(slot) :]
        parts.append(rest)
        return cls(tuple(parts), tuple(slots))

    def fill(self) -> str:
        """The page with this visitor's own token and a new stamp (made only if shown)."""
        values = {}
        if CSRF_SLOT in self.slots:
            values[CSRF_SLOT] = generate_csrf()
        if STAMP_SLOT in self.slots:
            values[STAMP_SLOT] = new_stamp()
        pieces = [self.parts[0]]
        for slot, part in zip(self.slots, self.parts[1:], strict=True):
            pieces += [values[slot], part]
        return "".join(pieces)


Render = Callable[..., tuple[str, int]]


def event_page(slug: str, render: Render) -> str | None:
    """The page of the event `slug` for a visitor with nothing of their own on it, or None if
    there is no such public event. `render(event, form, **context)` renders the page."""
    language = current_language()
    if session.get("_flashes"):
        return _render_for_visitor(slug, language, render)

    def build():
        event = events.public_event(slug, with_parts=True)
        if event is None:
            raise _NotFound()  # not kept: a made-up address must not push out real pages
        form = sign_up_form(event, language)
        form.stamp.data = STAMP_SLOT
        html, _ = render(event, form, csrf_token=lambda: CSRF_SLOT)
        return SlottedPage.cut(html), events.next_state_change([event])

    # The whole path: the page links back to it (language switch).
    key = (language, request.full_path)
    try:
        page = app_cache("event_pages", max_entries=KEPT_PAGES).get_or_render(
            key, site_version.event_page_version, build
        )
    except _NotFound:
        return None
    return page.fill()


class _NotFound(Exception):
    pass


def _render_for_visitor(slug: str, language: str, render: Render) -> str | None:
    event = events.public_event(slug, with_parts=True)
    if event is None:
        return None
    form: SignUpForm = sign_up_form(event, language)
    return render(event, form)[0]
