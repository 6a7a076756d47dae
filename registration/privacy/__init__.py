"""Personal data after the event: erased once the retention period is over, counts kept.

The privacy notice promises that data are kept "at most RETENTION_MONTHS months after the
event. Then your data is erased and only the numbers are kept." `retention.py` does that
(plain functions); `flask --app registration data anonymise [--dry-run]` runs it from cron,
and the mail worker (`flask --app registration mail send --loop`) runs it once every
ANONYMISE_INTERVAL_SECONDS. Settings:

| setting | default | what it is |
| --- | --- | --- |
| `RETENTION_MONTHS` | 24 | months after an event's end before its registrations are anonymised |
| `ANONYMISE_INTERVAL_SECONDS` | 86400 | how often the mail worker loop anonymises; 0: never |
"""

from __future__ import annotations

from flask import Flask

from ..config import ConfigError
from . import cli

DEFAULTS = {"ANONYMISE_INTERVAL_SECONDS": 24 * 3600}


def init_app(app: Flask) -> None:
    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    _check(app)
    cli.init_app(app)


def _check(app: Flask) -> None:
    months = app.config.get("RETENTION_MONTHS")
    if isinstance(months, bool) or not isinstance(months, int) or months < 1:
        raise ConfigError(
            f"RETENTION_MONTHS must be a whole number of months, at least 1 (it is {months!r})"
        )
    interval = app.config["ANONYMISE_INTERVAL_SECONDS"]
    if isinstance(interval, bool) or not isinstance(interval, int | float) or interval < 0:
        raise ConfigError(
            "ANONYMISE_INTERVAL_SECONDS must be a number of seconds (0 turns it off), "
            f"not {interval!r}"
        )
