"""Email through a transactional outbox.

Every message is a row written in the transaction of the change that causes it (see
`outbox.py`), and delivered after the commit by a sender (`sender.py`). What each message
says lives in `messages.py` and `templates/email/`; which change sends which message, in
`handlers.py`. Settings (defaults below, override like any other):

| setting | default | what it is |
| --- | --- | --- |
| `MAIL_TIMEOUT` | 15 | seconds for each SMTP operation |
| `MAIL_BATCH_SIZE` | 20 | rows a sender claims at a time |
| `MAIL_LEASE_SECONDS` | 300 | how long a claim holds; more than 5 × MAIL_TIMEOUT |
| `MAIL_MAX_ATTEMPTS` | 15 | tries before a row is failed (about 11 hours of retrying) |
| `MAIL_RETRY_BASE_SECONDS`, `MAIL_RETRY_MAX_SECONDS` | 30, 3600 | the backoff, doubling |
| `MAIL_POLL_SECONDS` | 10 | an idle sender looks at the outbox this often |
| `MAIL_BACKGROUND_SENDER` | on (off when TESTING) | a sender thread in each web process |
| `MAIL_REMINDER_INTERVAL_SECONDS` | 300 | how often `mail send --loop` queues reminders |
| `MAIL_THANKS_INTERVAL_SECONDS` | 300 | how often the scheduler queues thank-yous due after events |
"""

from __future__ import annotations

from flask import Flask

from ..config import ConfigError
from . import cli, handlers, sender

DEFAULTS = {
    "MAIL_BATCH_SIZE": 20,
    "MAIL_LEASE_SECONDS": 300,
    "MAIL_MAX_ATTEMPTS": 15,
    "MAIL_RETRY_BASE_SECONDS": 30,
    "MAIL_RETRY_MAX_SECONDS": 3600,
    "MAIL_POLL_SECONDS": 10,
    "MAIL_BACKGROUND_SENDER": None,
    "MAIL_REMINDER_INTERVAL_SECONDS": 300,
    "MAIL_THANKS_INTERVAL_SECONDS": 300,
}


def init_app(app: Flask) -> None:
    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    app.config.setdefault("MAIL_TIMEOUT", 15)
    _check(app)
    handlers.connect()
    sender.init_app(app)
    cli.init_app(app)


def _check(app: Flask) -> None:
    timeout, lease = app.config["MAIL_TIMEOUT"], app.config["MAIL_LEASE_SECONDS"]
    if not timeout or timeout <= 0:
        raise ConfigError("MAIL_TIMEOUT must be a positive number of seconds")
    if lease <= 5 * timeout:
        raise ConfigError(
            f"MAIL_LEASE_SECONDS ({lease}) must be more than five times MAIL_TIMEOUT "
            f"({timeout}), or a slow send could outlive its claim"
        )
    if app.config["MAIL_BATCH_SIZE"] < 1 or app.config["MAIL_MAX_ATTEMPTS"] < 1:
        raise ConfigError("MAIL_BATCH_SIZE and MAIL_MAX_ATTEMPTS must be at least 1")
