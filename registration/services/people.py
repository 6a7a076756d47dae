"""Who a person is, for the rule of one active registration per person and event.

A person is their address together with their name: members of a household often share one
address, and each of them may sign up; the same person twice is still one registration.
Names are compared folded (lower case, no diacritics, single spaces), so "Jānis Bērziņš" and
"janis  berzins" typed on a phone without Latvian letters are the same person.
"""

from __future__ import annotations

import unicodedata

#: As long as the column `registration.name_key`.
NAME_KEY_LENGTH = 210


def fold(text: str) -> str:
    """Lower case without diacritics: 'Šķēle' -> 'skele'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def name_key(first_name: str, last_name: str) -> str:
    """The name as the uniqueness rule compares it."""
    return " ".join(fold(f"{first_name} {last_name}").split())[:NAME_KEY_LENGTH]


def email_key(email: str) -> str | None:
    """The address as the uniqueness rule compares it; None without one (never collides)."""
    return email.strip().lower() or None
