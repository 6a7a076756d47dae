"""Absolute links for things that leave the site: emails, calendar files and feeds.

They always use PUBLIC_BASE_URL, inside a request or not (the mail worker and cron have none),
so a link never depends on which host name a request happened to use.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app


def external_url(endpoint: str, **values) -> str:
    base = urlsplit(current_app.config["PUBLIC_BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path.rstrip("/") or "/", url_scheme=base.scheme or "https"
    )
    return adapter.build(endpoint, values, force_external=True)
