"""Links: absolute ones for things that leave the site, and safe targets for redirects.

Absolute links (emails, calendar files and feeds) always use PUBLIC_BASE_URL, inside a request
or not (the mail worker and cron have none), so a link never depends on which host name a
request happened to use.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app
from werkzeug.routing import BaseConverter, ValidationError

#: The largest id a row can have: PostgreSQL's `integer`. A larger number names nothing, and
#: the database would refuse to compare with it.
MAX_ID = 2_147_483_647


class IdConverter(BaseConverter):
    """`<id:name>` in a route: a row's id (1 to MAX_ID, no leading zeros), else a 404."""

    regex = r"[1-9][0-9]{0,9}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValidationError()
        return number

    def to_url(self, value: int) -> str:
        return str(int(value))


def external_url(endpoint: str, **values) -> str:
    return _adapter().build(endpoint, values, force_external=True)


def _adapter():
    """The URL map bound to PUBLIC_BASE_URL, made once per app (a feed builds a thousand)."""
    base_url = current_app.config["PUBLIC_BASE_URL"]
    cached = current_app.extensions.get("public_url_adapter")
    if cached is None or cached[0] != base_url:
        base = urlsplit(base_url)
        adapter = current_app.url_map.bind(
            base.netloc,
            script_name=base.path.rstrip("/") or "/",
            url_scheme=base.scheme or "https",
        )
        cached = current_app.extensions["public_url_adapter"] = (base_url, adapter)
    return cached[1]


def local_path(target: str | None, *, under: str = "/") -> str | None:
    """`target` if it is a path on this site at or below `under`, else None.

    For redirects to an address a visitor supplied (`?next=`): never another host (no open
    redirect: `//evil.example`, `/\\evil.example`, `https://…`), never a control character
    (a line break would split the Location header).
    """
    if not target or any(ord(c) < 0x20 or ord(c) == 0x7F for c in target):
        return None
    if target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    base = under.rstrip("/")
    if under != "/" and parts.path != base and not parts.path.startswith(base + "/"):
        return None
    return target if target.startswith("/") else None
