"""Configuration: defaults here, then `instance/config.py`, then `FLASK_*` variables.

Start-up problems raise `ConfigError` with one sentence that says what to fix; `create_app`
turns it into a clean exit instead of a traceback.
"""

from __future__ import annotations

import os
import re
import secrets
from datetime import timedelta
from pathlib import Path

from .places import DEFAULT_PLACES

#: Where links point when PUBLIC_BASE_URL is not set: the development server.
DEVELOPMENT_BASE_URL = "http://127.0.0.1:5000"


class ConfigError(Exception):
    """The installation's configuration stops the app from starting."""


class Defaults:
    # Filled in by `create_app` with a SQLite file in the instance folder.
    SQLALCHEMY_DATABASE_URI: str | None = None
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}

    # The organisation running the site: header, emails, calendar files, privacy notice and
    # sign-in sheet; ORGANISATION_EMAIL is also where the accessibility statement says to
    # write about the site. Defaults until an organiser saves the details in the back office.
    ORGANISATION_NAME = "Biedrība „Lauku partnerība”"
    ORGANISATION_REGISTRATION_NUMBER = ""
    ORGANISATION_ADDRESS = ""
    ORGANISATION_EMAIL = ""
    ORGANISATION_PHONE = ""
    ORGANISATION_URL = ""
    # Public base URL (https://…) used in emails and calendar feeds outside a request.
    # Unset, the development address below is used and a warning says so at start-up.
    PUBLIC_BASE_URL: str | None = None

    LANGUAGES = ("lv", "en")
    BABEL_DEFAULT_LOCALE = "lv"
    BABEL_DEFAULT_TIMEZONE = "Europe/Riga"

    PLACES = DEFAULT_PLACES
    # The privacy notice people agree to; raise the version when its text changes.
    PRIVACY_NOTICE_VERSION = "2026-11"
    # How long personal data is kept after an event before it is anonymised (months).
    RETENTION_MONTHS = 24

    # Sessions and cookies.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = timedelta(hours=8)
    # A resident may read an event for a while before sending the form.
    WTF_CSRF_TIME_LIMIT = 12 * 3600

    # Mail: without MAIL_SERVER, messages are written as files into instance/mail/.
    MAIL_SERVER: str | None = None
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USE_SSL = False
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_DEFAULT_SENDER = "noreply@localhost"
    MAIL_TIMEOUT = 15

    # Number of reverse proxies in front of the app (0: none; 1: e.g. nginx).
    PROXY_FIX_X_FOR = 0

    # Limits against floods and spam (Flask-Limiter notation: "N per period", several joined
    # by ";"). They hold across every worker and app server: the counts live in the app's own
    # database ("database://"); "redis://host:6379" or "memcached://host:11211" for large
    # installs. A limit reached answers 429 with a page that says when to try again.
    RATELIMIT_STORAGE_URI = "database://"
    RATELIMIT_HEADERS_ENABLED = False
    # A store that cannot be reached lets requests through (logged), never a 500.
    RATELIMIT_SWALLOW_ERRORS = True
    # Posts of the sign-up form from one client address; from one network (/24 or /64). A
    # seminar room of 20 behind one Wi-Fi, or a household of four, signs up well within these.
    SIGNUP_LIMIT_PER_ADDRESS = "30 per 10 minutes"
    SIGNUP_LIMIT_PER_NETWORK = "100 per hour"
    # Sign-ups to one event, and with one email address (across events, repeats included).
    SIGNUP_LIMIT_PER_EVENT = "60 per 10 minutes"
    SIGNUP_LIMIT_PER_EMAIL = "5 per hour;20 per day"
    # Email to participants leaving the outbox, all of it together; the rest waits its turn.
    MAIL_PARTICIPANT_LIMIT = "500 per hour"
    # Messages an address that has never confirmed gets because someone used the sign-up form
    # (confirmations, waiting-list notices, repeated sign-ups), across all events. More are
    # held back and listed for organisers under undelivered email. None: no limit.
    MAIL_UNCONFIRMED_PER_HOUR: int | None = 1
    MAIL_UNCONFIRMED_PER_DAY: int | None = 3
    # The sign-up form carries a signed time: sent sooner than this after it was shown, older
    # than the maximum, or used more often, it is taken for a robot (nothing saved, no mail).
    SIGNUP_MIN_SECONDS = 3
    SIGNUP_FORM_MAX_AGE = 24 * 3600
    SIGNUP_FORM_MAX_USES = 50
    # Organisers see bursts of sign-ups from one network or one mail domain; the keyed hash
    # of the network kept for it is erased after this many days. Many people share the
    # common providers, so a burst of their addresses means nothing.
    SIGNUP_SIGNALS_DAYS = 30
    COMMON_MAIL_DOMAINS = (
        "gmail.com", "inbox.lv", "outlook.com", "hotmail.com", "live.com", "yahoo.com",
        "icloud.com", "me.com", "mail.ru", "yandex.ru", "one.lv", "apollo.lv", "tvnet.lv",
        "gmx.com", "gmx.de", "proton.me", "protonmail.com",
    )  # fmt: skip

    MAX_CONTENT_LENGTH = 1024 * 1024
    # Uploaded files (documents, photos, logos): the largest accepted, in bytes. Only the
    # upload screens accept requests this large (twice it, so that a file just over the
    # limit hears why, rather than meeting a bare error page).
    UPLOAD_MAX_BYTES = 20 * 1024 * 1024
    # Pictures that would decode into more pixels than this are refused unread.
    IMAGE_MAX_PIXELS = 40_000_000
    # Where uploads are kept (empty: instance/uploads/).
    UPLOAD_FOLDER = ""
    # Sites allowed to show the embeddable event list in a frame (https://example.lv …).
    EMBED_ALLOWED_ORIGINS: tuple[str, ...] = ()

    # The upcoming-events list is rendered once and reused; each process asks the database
    # whether anything changed at most this often (seconds).
    LIST_CACHE_RECHECK_SECONDS = 2


_ORIGIN = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?")


def embed_origins(value) -> tuple[str, ...]:
    """EMBED_ALLOWED_ORIGINS as a tuple of origins; a string may list them with spaces or
    commas (as an environment variable does). Anything but an origin stops the start."""
    items = value.replace(",", " ").split() if isinstance(value, str) else list(value or ())
    origins = tuple(item.rstrip("/") for item in items)
    for origin in origins:
        if not _ORIGIN.fullmatch(origin):
            raise ConfigError(
                f"EMBED_ALLOWED_ORIGINS holds {origin!r}, which is not an origin; write "
                "sites as https://www.example.lv (no path)"
            )
    return origins


def ensure_writable_instance(instance_path: str) -> None:
    path = Path(instance_path)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(
            f"cannot create the instance folder {path} ({exc.strerror}); create it or set "
            "the right permissions"
        ) from exc
    if not os.access(path, os.W_OK | os.X_OK):
        raise ConfigError(
            f"the instance folder {path} is not writable; give the app's user write "
            "permission there (it holds the database, the secret key and written mail)"
        )


def load_or_create_secret_key(instance_path: str) -> str:
    """The secret key stored in the instance folder, created once with owner-only access.

    Written to a private temporary file and linked into place, so workers starting together
    all end up with the same complete key.
    """
    key_file = Path(instance_path) / "secret_key"
    if not key_file.exists():
        tmp = key_file.with_name(f".secret_key.{os.getpid()}.{secrets.token_hex(4)}")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(secrets.token_hex(32) + "\n")
            try:
                os.link(tmp, key_file)
            except FileExistsError:
                pass  # another process won the race; use its key
            finally:
                tmp.unlink()
        except OSError as exc:
            raise ConfigError(f"cannot write {key_file} ({exc.strerror})") from exc
    key = key_file.read_text(encoding="ascii").strip()
    if len(key) < 32:
        raise ConfigError(
            f"{key_file} holds no usable secret key; delete it to have a new one made"
        )
    return key
