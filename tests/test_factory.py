"""The application factory and its configuration, as an installer meets them."""

from __future__ import annotations

import os
import stat

import pytest

from registration import create_app as _create_app
from registration.extensions import db

from .settings import TEST_DATABASE_URL

_built = []


def create_app(*args, **kwargs):
    app = _create_app(*args, **kwargs)
    _built.append(app)
    return app


@pytest.fixture(autouse=True)
def close_database_connections():
    """Each app built here opened a connection pool at start-up; close it afterwards."""
    yield
    while _built:
        with _built.pop().app_context():
            db.engine.dispose()


def test_test_config_replaces_instance_config(tmp_path):
    (tmp_path / "config.py").write_text("ORGANISATION_NAME = 'From file'\n")
    app = create_app(
        {"SECRET_KEY": "x" * 40, "CHECK_DATABASE_ON_START": False}, instance_path=str(tmp_path)
    )
    assert app.config["ORGANISATION_NAME"] != "From file"
    assert app.testing is False


def test_instance_config_then_environment(tmp_path, monkeypatch):
    (tmp_path / "config.py").write_text(
        "ORGANISATION_NAME = 'Biedrība no faila'\nMAIL_SERVER = 'mail.from.file'\n"
    )
    monkeypatch.setenv("FLASK_MAIL_SERVER", "mail.from.env")
    app = create_app(instance_path=str(tmp_path))
    assert app.config["ORGANISATION_NAME"] == "Biedrība no faila"
    assert app.config["MAIL_SERVER"] == "mail.from.env"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == (
        f"sqlite:///{tmp_path / 'registration.sqlite3'}"
    )
    assert app.config["BABEL_DEFAULT_LOCALE"] == "lv"


def test_secret_key_is_generated_once_privately_and_reused(tmp_path):
    first = create_app(instance_path=str(tmp_path))
    key_file = tmp_path / "secret_key"
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    second = create_app(instance_path=str(tmp_path))
    assert first.secret_key == second.secret_key
    assert len(first.secret_key) >= 64


def test_different_installs_get_different_keys(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = create_app(instance_path=str(tmp_path / "a"))
    b = create_app(instance_path=str(tmp_path / "b"))
    assert a.secret_key != b.secret_key


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        ("not a url", "is not a database URL"),
        ("mysql://user@localhost/db", "unsupported database 'mysql'"),
        ("postgresql+nosuchdriver://localhost/db", "no driver"),
    ],
)
def test_bad_database_url_stops_with_one_clear_line(tmp_path, monkeypatch, uri, expected):
    monkeypatch.setenv("FLASK_SQLALCHEMY_DATABASE_URI", uri)
    with pytest.raises(SystemExit) as exit_info:
        create_app(instance_path=str(tmp_path))
    message = str(exit_info.value.code)
    assert message.startswith("registration: configuration error:")
    assert expected in message
    assert "\n" not in message


def test_unreachable_postgresql_stops_with_one_clear_line(tmp_path, monkeypatch):
    # Port 9 on loopback: nothing listens there, the connection is refused at once.
    monkeypatch.setenv(
        "FLASK_SQLALCHEMY_DATABASE_URI", "postgresql+psycopg://app:s3cret@127.0.0.1:9/db"
    )
    with pytest.raises(SystemExit) as exit_info:
        create_app(instance_path=str(tmp_path))
    message = str(exit_info.value.code)
    assert "cannot connect to the database" in message
    assert "s3cret" not in message
    assert "FLASK_SQLALCHEMY_DATABASE_URI" in message
    assert "\n" not in message


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_read_only_instance_folder_stops_start_up(tmp_path):
    tmp_path.chmod(0o500)
    try:
        with pytest.raises(SystemExit) as exit_info:
            create_app(instance_path=str(tmp_path))
    finally:
        tmp_path.chmod(0o700)
    assert "not writable" in str(exit_info.value.code)


def test_instance_folder_that_cannot_be_created_stops_start_up(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(SystemExit) as exit_info:
        create_app(instance_path=str(blocker / "instance"))
    assert "cannot create the instance folder" in str(exit_info.value.code)


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="needs TEST_DATABASE_URL")
def test_postgresql_url_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("FLASK_SQLALCHEMY_DATABASE_URI", TEST_DATABASE_URL)
    app = create_app(instance_path=str(tmp_path))
    with app.app_context():
        assert db.engine.dialect.name == "postgresql"


def test_an_https_site_sends_cookies_only_over_https(tmp_path, monkeypatch):
    monkeypatch.setenv("FLASK_PUBLIC_BASE_URL", "https://pasakumi.example.lv")
    assert create_app(instance_path=str(tmp_path)).config["SESSION_COOKIE_SECURE"] is True


def test_an_unset_public_address_is_logged(tmp_path, caplog, monkeypatch):
    monkeypatch.delenv("FLASK_PUBLIC_BASE_URL", raising=False)
    app = create_app(instance_path=str(tmp_path))
    assert app.config["PUBLIC_BASE_URL"] == "http://127.0.0.1:5000"
    assert "PUBLIC_BASE_URL is not set" in caplog.text


def test_a_public_address_set_as_make_run_does_is_not_warned_about(tmp_path, caplog, monkeypatch):
    # `make run` sets the development server's own address: nothing to warn about.
    monkeypatch.setenv("FLASK_PUBLIC_BASE_URL", "http://127.0.0.1:5000")
    create_app(instance_path=str(tmp_path))
    assert "PUBLIC_BASE_URL" not in caplog.text


def test_sites_allowed_to_frame_the_list_come_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(
        "FLASK_EMBED_ALLOWED_ORIGINS", "https://www.novads.example, https://a.example/"
    )
    app = create_app(instance_path=str(tmp_path))
    assert app.config["EMBED_ALLOWED_ORIGINS"] == (
        "https://www.novads.example",
        "https://a.example",
    )


def test_a_page_address_is_not_an_origin(tmp_path, monkeypatch):
    monkeypatch.setenv("FLASK_EMBED_ALLOWED_ORIGINS", "https://a.example/lapa; script-src *")
    with pytest.raises(SystemExit) as exit_info:
        create_app(instance_path=str(tmp_path))
    assert "EMBED_ALLOWED_ORIGINS" in str(exit_info.value.code)
