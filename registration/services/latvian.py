"""Sorting names the Latvian way.

In the Latvian alphabet č ģ ķ ļ ņ š ž are letters of their own, each right after its plain
letter, while ā ē ī ū are the same letters as a e i u and only break ties. Python's default
order puts every letter with a diacritic after z, so lists sorted by name need this key.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")

#: The alphabet in order; letters within one group share a primary weight.
ALPHABET = (
    "aā", "b", "c", "č", "d", "eē", "f", "g", "ģ", "h", "iī", "j", "k", "ķ", "l", "ļ", "m",
    "n", "ņ", "oō", "p", "q", "r", "ŗ", "s", "š", "t", "uū", "v", "w", "x", "y", "z", "ž",
)  # fmt: skip

_PRIMARY: dict[str, int] = {}
_SECONDARY: dict[str, int] = {}
for _weight, _group in enumerate(ALPHABET, start=100):
    for _rank, _letter in enumerate(_group):
        _PRIMARY[_letter] = _weight
        _SECONDARY[_letter] = _rank

#: Spaces, hyphens and apostrophes sort before any letter ("Kalna Anna" before "Kalnaja").
_SEPARATOR = 1
_DIGIT_BASE = 10
_OTHER = 500
#: Weights become characters of the Private Use Area, so a key is a plain string that
#: str.translate builds in C: fast enough for lists of ten thousand names.
_BASE = 0xE000


def _weights(char: str) -> tuple[int, int]:
    if char in _PRIMARY:
        return _PRIMARY[char], _SECONDARY[char]
    if char.isdigit():
        return _DIGIT_BASE + unicodedata.digit(char, 0), 0
    if not char.isalnum():
        return _SEPARATOR, 0
    # A foreign letter such as ö or é sorts with its base letter, after it on ties.
    base = unicodedata.normalize("NFD", char)[0]
    if base in _PRIMARY:
        return _PRIMARY[base], 9
    return _OTHER + ord(char), 0


class _Table(dict):
    """A str.translate table that works out (and remembers) each new character's weight."""

    def __init__(self, level: int) -> None:
        super().__init__()
        self.level = level

    def __missing__(self, code: int) -> str:
        weight = _weights(chr(code))[self.level]
        self[code] = value = chr(_BASE + min(weight, 0x18FF))
        return value


_PRIMARY_TABLE = _Table(0)
_SECONDARY_TABLE = _Table(1)


def latvian_key(text: str) -> tuple[str, str, str, str]:
    """A sort key that orders strings as a Latvian reader expects.

    Compared first by letters (ā = a), then by long vowels, then by case (small letters
    first), then by the text itself, so that different strings never compare equal.
    """
    text = unicodedata.normalize("NFC", text.strip())
    folded = text.casefold()
    return (
        folded.translate(_PRIMARY_TABLE),
        folded.translate(_SECONDARY_TABLE),
        text.swapcase(),
        text,
    )


def name_key(last_name: str, first_name: str) -> tuple:
    """Key for people: by surname, then given name."""
    return latvian_key(last_name), latvian_key(first_name)


def sort_people(
    items: Iterable[T],
    *,
    last: Callable[[T], str] = lambda item: item.last_name,  # type: ignore[attr-defined]
    first: Callable[[T], str] = lambda item: item.first_name,  # type: ignore[attr-defined]
) -> list[T]:
    """Items (registrations by default) sorted by surname and given name, Latvian order."""
    return sorted(items, key=lambda item: name_key(last(item), first(item)))
