"""Places of residence offered on the sign-up form.

The default is the partnership's territory (see the project's domain notes); another
organisation sets `PLACES` in `instance/config.py`. Kept as data: a list of names as people
write them. The form adds "other" with a free-text field.
"""

from __future__ import annotations

import re
import unicodedata

from flask import current_app

OTHER = "other"

DEFAULT_PLACES: tuple[str, ...] = (
    # Aizkraukles novads: towns
    "Aizkraukle",
    "Jaunjelgava",
    "Koknese",
    "Pļaviņas",
    # Aizkraukles novads: parishes
    "Aiviekstes pagasts",
    "Aizkraukles pagasts",
    "Bebru pagasts",
    "Daudzeses pagasts",
    "Iršu pagasts",
    "Jaunjelgavas pagasts",
    "Klintaines pagasts",
    "Kokneses pagasts",
    "Mazzalves pagasts",
    "Neretas pagasts",
    "Pilskalnes pagasts",
    "Seces pagasts",
    "Sērenes pagasts",
    "Skrīveru pagasts",
    "Staburaga pagasts",
    "Sunākstes pagasts",
    "Vietalvas pagasts",
    "Zalves pagasts",
    # Bauskas novads, also in the partnership's territory
    "Valles pagasts",
    "Kurmenes pagasts",
)


def configured_places() -> list[str]:
    return list(current_app.config["PLACES"])


def slugify(text: str) -> str:
    """ASCII URL part: 'Skrīveru pagasts' -> 'skriveru-pagasts'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def place_by_slug(slug: str) -> str | None:
    """The configured place whose slug is `slug`, or None."""
    for place in configured_places():
        if slugify(place) == slug:
            return place
    return None
