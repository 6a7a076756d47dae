"""Phone numbers as people type them, stored in one normal form."""

from __future__ import annotations

import re
import unicodedata

from flask_babel import lazy_gettext as _l

from . import DomainError

_SEPARATORS = re.compile(r"[\s\-().]")


def normalise_phone(raw: str) -> str:
    """'26 123 456' / '+371 26123456' / '0037126123456' -> '+37126123456'; '' stays ''.

    Latvian numbers are +371 and 8 digits; a number without a country code is taken as
    Latvian. Foreign numbers are kept in international form (+ and 7–15 digits).
    Raises DomainError for anything else.
    """
    # NFKC: full-width digits and plus, from some phone keyboards, are the ASCII ones.
    text = _SEPARATORS.sub("", unicodedata.normalize("NFKC", raw or ""))
    if not text:
        return ""
    if text.startswith("00"):
        text = "+" + text[2:]
    # [0-9], not \d: other scripts' digits are no number a phone network dials.
    if not re.fullmatch(r"\+?[0-9]+", text):
        raise DomainError(_l("A phone number may contain only digits, spaces and a leading +."))
    if text.startswith("+371"):
        national = text[4:]
    elif not text.startswith("+"):
        national = text
    else:
        if not 8 <= len(text) <= 16:
            raise DomainError(_l("This does not look like a complete phone number."))
        return text
    if len(national) != 8:
        raise DomainError(_l("A Latvian phone number has 8 digits, for example 26 123 456."))
    return "+371" + national
