"""RFC 5545 text in calendar files: cleaning, escaping, and folding lines at 75 octets."""

from __future__ import annotations

import re

from icalendar.prop import vText

# Control characters are not allowed in TEXT (RFC 5545 3.3.11); tab and line feed are.
_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


def clean_text(value: str | None) -> str:
    """Text as it goes into a calendar: line ends made "\\n", other control characters gone."""
    if not value:
        return ""
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    # A search, not str.translate: most text has none, and translate copies it slowly.
    return _CONTROL_CHARACTERS.sub("", value)


def escape_text(value: str) -> str:
    """RFC 5545 TEXT escaping of backslash, semicolon, comma and line breaks."""
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


class Text(vText):
    """A TEXT value escaped exactly by RFC 5545.

    icalendar 7.3 reads a literal backslash followed by "N" as a line break when writing, so a
    title such as "C:\\Nauda" would not come back as it was; this class escapes it properly.
    """

    __slots__ = ()

    def to_ical(self) -> bytes:
        return escape_text(self).encode("utf-8")


def fold(line: str) -> bytes:
    """One content line as octets, folded so no line exceeds 75 octets (RFC 5545 3.1).

    A fold never falls inside a UTF-8 character, nor between a backslash and the character
    it escapes (some clients unescape before unfolding). icalendar folds the same way, but a
    character at a time.
    """
    return fold_octets(line.encode("utf-8"))


def fold_octets(data: bytes) -> bytes:
    """`fold` for a line already encoded."""
    if len(data) <= 75:
        return data
    parts = []
    start, limit = 0, 75  # after the first line, the leading space takes one octet
    while len(data) - start > limit:
        cut = start + limit
        while data[cut] & 0xC0 == 0x80:  # a continuation byte: back to the character's start
            cut -= 1
        backslashes = 0
        while data[cut - 1 - backslashes] == 0x5C and cut - 1 - backslashes > start:
            backslashes += 1
        if backslashes % 2:
            cut -= 1
        parts.append(data[start:cut])
        start, limit = cut, 74
    parts.append(data[start:])
    return b"\r\n ".join(parts)
