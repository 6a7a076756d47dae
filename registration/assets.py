"""Static files under fingerprinted names, so that they can be cached for a year.

`url_for('static', filename='style.css')` gives `/static/style.3f2a9c01be.css`: the name
carries the first ten hex digits of the file's SHA-256, so a changed file gets a new name
and no browser keeps showing the old one. nginx (`deploy/nginx/`) serves such names
straight from the static folder with a year's caching, without asking the app; served by
the app itself, the fingerprint is taken off and the file sent the same way.
"""

from __future__ import annotations

import hashlib
import re
import threading
from pathlib import Path, PurePosixPath

from flask import Flask, Response, current_app

#: A fingerprinted name: `<stem>.<10 hex digits><suffix>`, the pattern nginx matches too.
FINGERPRINTED = re.compile(r"^(?P<stem>.+)\.(?P<digest>[0-9a-f]{10})(?P<suffix>\.[A-Za-z0-9]+)$")
ONE_YEAR = 365 * 24 * 3600

_digests: dict[Path, tuple[int, int, str]] = {}
_lock = threading.Lock()


def digest(path: Path) -> str | None:
    """The file's fingerprint, recomputed only when its size or time changes."""
    try:
        stat = path.stat()
    except OSError:
        return None
    known = _digests.get(path)
    if known and known[:2] == (stat.st_mtime_ns, stat.st_size):
        return known[2]
    value = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
    with _lock:
        _digests[path] = (stat.st_mtime_ns, stat.st_size, value)
    return value


def fingerprinted_name(folder: Path, filename: str) -> str:
    name = PurePosixPath(filename)
    fingerprint = digest(folder / filename) if name.suffix else None
    if fingerprint is None:
        return filename  # no such file, or no suffix to put the fingerprint before
    return str(name.with_name(f"{name.stem}.{fingerprint}{name.suffix}"))


def send_static(filename: str) -> Response:
    app = current_app
    match = FINGERPRINTED.match(filename)
    if match is None:
        return app.send_static_file(filename)
    original = f"{match['stem']}{match['suffix']}"
    response = app.send_static_file(original)
    if digest(Path(app.static_folder) / original) == match["digest"]:
        response.cache_control.public = True
        response.cache_control.max_age = ONE_YEAR
        response.cache_control.immutable = True
    return response


def init_app(app: Flask) -> None:
    folder = Path(app.static_folder)

    @app.url_defaults
    def add_fingerprint(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "filename" in values:
            values["filename"] = fingerprinted_name(folder, values["filename"])

    app.view_functions["static"] = send_static
