"""Filling in the public sign-up form as a browser does: the hidden fields come from the page."""

from __future__ import annotations

import re

HIDDEN = re.compile(r'<input[^>]*name="([^"]+)"[^>]*type="hidden"[^>]*value="([^"]*)"')


def hidden_fields(page: str) -> dict[str, str]:
    """The hidden inputs of a page (the CSRF token, the sign-up form's stamp)."""
    return dict(HIDDEN.findall(page))


def signup_form(client, event, **fields) -> dict[str, str]:
    """`fields` with the hidden fields of the event's sign-up form, as a fresh page has them."""
    page = client.get(f"/notikumi/{event.slug}").get_data(as_text=True)
    return {**hidden_fields(page), **fields}


def post_signup(client, event, **fields):
    """Load the event page, then send its sign-up form with `fields`."""
    return client.post(f"/notikumi/{event.slug}", data=signup_form(client, event, **fields))


def in_letters(n: int | str) -> str:
    """A number written in letters, for names (which take no digits): 27 -> 'ch'."""
    return "".join("abcdefghijklmnopqrstuvwxyz"[int(d)] for d in str(n) if d.isdigit())
