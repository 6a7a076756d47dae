"""Event registration for a civic organisation: the application factory."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask

from . import (
    assets,
    calendar,
    cli,
    database,
    errors,
    i18n,
    operations,
    ratelimits,
    request_log,
    web,
)
from .admin import bp as admin_bp
from .config import (
    DEVELOPMENT_BASE_URL,
    ConfigError,
    Defaults,
    embed_origins,
    ensure_writable_instance,
    load_or_create_secret_key,
)
from .extensions import csrf, db, login_manager, migrate
from .extensions import mail as mail_extension
from .mail import init_app as init_mail_outbox
from .privacy import init_app as init_privacy
from .public import bp as public_bp
from .urls import IdConverter

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(
    test_config: dict[str, Any] | None = None, instance_path: str | None = None
) -> Flask:
    """Build the app. Configuration problems end the process with one clear line.

    `test_config` replaces `instance/config.py` and the environment; `instance_path` moves the
    instance folder (also settable with REGISTRATION_INSTANCE_PATH).
    """
    try:
        return _create_app(test_config, instance_path)
    except ConfigError as exc:
        raise SystemExit(f"registration: configuration error: {exc}") from None


def _create_app(test_config: dict[str, Any] | None, instance_path: str | None) -> Flask:
    app = Flask(
        __name__,
        instance_path=instance_path
        or os.environ.get("REGISTRATION_INSTANCE_PATH")
        or str(PROJECT_ROOT / "instance"),
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.from_object(Defaults)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env()
    else:
        app.config.from_mapping(test_config)

    ensure_writable_instance(app.instance_path)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = load_or_create_secret_key(app.instance_path)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = database.default_sqlite_uri(app.instance_path)
    database.validate_database_uri(app.config["SQLALCHEMY_DATABASE_URI"])
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = database.engine_options(
        app.config.get("SQLALCHEMY_ENGINE_OPTIONS")
    )
    app.config["EMBED_ALLOWED_ORIGINS"] = embed_origins(app.config["EMBED_ALLOWED_ORIGINS"])
    _secure_defaults(app)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", _translation_directories())

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    # Flask-Mail; not named `mail` here, as importing registration.mail rebinds that name.
    mail_extension.init_app(app)
    login_manager.init_app(app)
    ratelimits.init_app(app)
    i18n.init_app(app)
    app.url_map.converters["id"] = IdConverter

    app.register_blueprint(public_bp)
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(calendar.bp)
    errors.init_app(app)
    web.init_app(app)
    assets.init_app(app)
    cli.init_app(app)
    init_mail_outbox(app)
    init_privacy(app)
    operations.init_app(app)
    request_log.init_app(app)

    if app.config.get("CHECK_DATABASE_ON_START", True):
        database.check_connection(app)
    return app


def _secure_defaults(app: Flask) -> None:
    """Served over HTTPS: cookies only over HTTPS. Links pointing at the development address
    in production would send people nowhere: when nobody set the address (`make run` sets
    it), say so in the log at start-up."""
    base_url = app.config["PUBLIC_BASE_URL"]
    if not base_url:
        base_url = app.config["PUBLIC_BASE_URL"] = DEVELOPMENT_BASE_URL
        if not (app.debug or app.testing):
            app.logger.warning(
                "PUBLIC_BASE_URL is not set, so links in emails and calendar feeds point to "
                "%s. Set FLASK_PUBLIC_BASE_URL to the site's public address.",
                base_url,
            )
    if base_url.startswith("https://") and not app.config.get("SESSION_COOKIE_SECURE"):
        app.config["SESSION_COOKIE_SECURE"] = True


def _translation_directories() -> str:
    """Each area of the app keeps its own catalogue; Flask-Babel merges them."""
    package = Path(__file__).resolve().parent
    found = [package / "translations", *sorted(package.glob("*/translations"))]
    return ";".join(str(path) for path in found if path.is_dir())
