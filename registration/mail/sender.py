"""Delivery: from outbox rows to the mail server through Flask-Mail, or to .eml files.

`send_pending()` is one sender's round: claim due rows in batches, hand each to the server,
record the outcome. It runs in three places:

- a background thread of the web process, woken after every commit that wrote outbox rows
  and otherwise asleep until the next retry is due (a one-machine install needs nothing
  else);
- `flask --app registration mail send [--loop]`, for installs that run a worker;
- tests and benchmarks, directly.

The MIME message comes from `mime.py`. Flask-Mail carries it: its configuration (MAIL_*), its
connection (TLS, login) and its `email_dispatched` signal; the connection is subclassed only
to pass a socket timeout, which Flask-Mail never sets (a hanging server would block a sender
for ever).

Without MAIL_SERVER, each message is written to `instance/mail/<id>-<kind>.eml` and logged.
The file is named by the row, so a repeated delivery overwrites it rather than adding one.
"""

from __future__ import annotations

import logging
import os
import smtplib
import ssl
import tempfile
import threading
from dataclasses import dataclass, field
from datetime import timedelta
from email.message import EmailMessage
from functools import partial
from pathlib import Path

import flask_mail
from flask import Flask, current_app, has_app_context, has_request_context
from sqlalchemy import event as sa_event
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.orm import Session

from ..database import once_reachable
from ..extensions import db
from ..models import OutboxMessage, OutboxState
from ..timeutil import now_utc
from . import ceiling, composer, outbox
from .mime import BuildError, build_message
from .outbox import Claimed

logger = logging.getLogger(__name__)

EXTENSION_KEY = "mail_outbox_sender"


class _Prepared(flask_mail.Message):
    """A Flask-Mail message that carries a MIME message built beforehand."""

    def __init__(self, email: EmailMessage, recipient: str, subject: str) -> None:
        super().__init__(subject=subject, recipients=[recipient], sender=str(email["From"]))
        self.email = email

    def _message(self) -> EmailMessage:
        return self.email


# --- Transports ----------------------------------------------------------------------------


class PermanentFailure(Exception):
    """The server refused this message for good (5xx)."""


class TemporaryFailure(Exception):
    """This message may go through later (4xx)."""


class ConnectionFailure(Exception):
    """The server cannot be reached or talked to; every message has to wait."""


def _smtp_reason(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {' '.join(text.split())}"


class _TimeoutConnection(flask_mail.Connection):
    """Flask-Mail's connection with a socket timeout on every SMTP operation."""

    def __init__(self, mail, timeout: float) -> None:
        super().__init__(mail)
        self.timeout = timeout

    def configure_host(self) -> smtplib.SMTP:
        factory = smtplib.SMTP_SSL if self.mail.use_ssl else smtplib.SMTP
        host = factory(self.mail.server, self.mail.port, timeout=self.timeout)
        try:
            host.set_debuglevel(int(self.mail.debug))
            if self.mail.use_tls:
                host.starttls()
            if self.mail.username and self.mail.password:
                host.login(self.mail.username, self.mail.password)
        except BaseException:
            host.close()
            raise
        return host


class SmtpTransport:
    """One SMTP connection, opened on the first message and reopened after it drops."""

    def __init__(self, app: Flask) -> None:
        self.timeout = app.config["MAIL_TIMEOUT"]
        self.connection: _TimeoutConnection | None = None

    def _connect(self) -> _TimeoutConnection:
        connection = _TimeoutConnection(current_app.extensions["mail"], self.timeout)
        try:
            if not connection.mail.suppress:
                connection.host = connection.configure_host()
        except smtplib.SMTPResponseException as exc:
            raise ConnectionFailure(_smtp_reason(exc.smtp_code, exc.smtp_error)) from exc
        except (smtplib.SMTPException, OSError, ssl.SSLError) as exc:
            raise ConnectionFailure(_network_reason(exc)) from exc
        return connection

    def send(self, message: Claimed, email: EmailMessage) -> None:
        if self.connection is None:
            self.connection = self._connect()
        prepared = _Prepared(email, str(email["To"].addresses[0].addr_spec), message.subject)
        envelope_from = str(email["From"].addresses[0].addr_spec)
        try:
            self.connection.send(prepared, envelope_from=envelope_from)
        except smtplib.SMTPRecipientsRefused as exc:
            code, text = next(iter(exc.recipients.values()))
            self._raise_for_code(code, text)
        except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
            self._raise_for_code(exc.smtp_code, exc.smtp_error)
        except (smtplib.SMTPException, OSError) as exc:
            # Disconnected or timed out in the middle: the next message reconnects.
            self.close()
            raise TemporaryFailure(_network_reason(exc)) from exc

    @staticmethod
    def _raise_for_code(code: int, text: bytes | str) -> None:
        reason = _smtp_reason(code, text)
        if 500 <= code < 600:
            raise PermanentFailure(reason)
        raise TemporaryFailure(reason)

    def close(self) -> None:
        connection, self.connection = self.connection, None
        if connection is None or connection.host is None:
            return
        try:
            connection.host.quit()
        except (smtplib.SMTPException, OSError):
            connection.host.close()


def _network_reason(exc: BaseException) -> str:
    # smtplib reports a timeout while reading a reply as "disconnected", caused by it.
    if isinstance(exc, TimeoutError) or isinstance(exc.__context__, TimeoutError):
        return "the mail server did not answer in time"
    text = str(exc) or type(exc).__name__
    return f"{type(exc).__name__}: {text}"


class FileTransport:
    """Writes each message to instance/mail/ instead of sending it (no MAIL_SERVER)."""

    def __init__(self, app: Flask) -> None:
        self.folder = Path(app.instance_path) / "mail"

    def send(self, message: Claimed, email: EmailMessage) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{message.id:06d}-{message.kind}.eml"
        # Written aside and renamed into place: a reader never sees half a file.
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".tmp-", suffix=".eml")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(email.as_bytes())
            os.replace(tmp, path)
        except OSError as exc:
            Path(tmp).unlink(missing_ok=True)
            raise ConnectionFailure(f"cannot write {path}: {exc.strerror}") from exc
        flask_mail.email_dispatched.send(
            current_app._get_current_object(),
            message=_Prepared(email, message.recipient, message.subject),
        )
        # The row's id and kind, never the address: logs are no place for personal data.
        logger.info("mail %s (%s) written to %s", message.id, message.kind, path)

    def close(self) -> None:
        pass


def remove_written_files(app: Flask, message_ids) -> int:
    """Delete the `.eml` files FileTransport wrote for these rows; returns how many.

    For the retention rules: a copy of a message must not outlive its row.
    """
    ids = set(message_ids)
    folder = Path(app.instance_path) / "mail"
    if not ids or not folder.is_dir():
        return 0
    removed = 0
    for path in folder.glob("*.eml"):
        number, dash, _rest = path.name.partition("-")
        if dash and number.isdigit() and int(number) in ids:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def _transport(app: Flask) -> SmtpTransport | FileTransport:
    return SmtpTransport(app) if app.config.get("MAIL_SERVER") else FileTransport(app)


# --- A sender's round ------------------------------------------------------------------------


@dataclass
class Report:
    sent: int = 0
    failed: int = 0
    deferred: int = 0
    released: int = 0
    #: Messages overtaken before they were written (see `composer.Overtaken`), deleted.
    dropped: int = 0
    #: Set when the mail server could not be reached; the caller should pause before retrying.
    connection_error: str = ""
    failures: list[tuple[int, str]] = field(default_factory=list)

    @property
    def handled(self) -> int:
        return self.sent + self.failed + self.deferred + self.dropped


def send_pending(
    *,
    limit: int | None = None,
    stop: threading.Event | None = None,
    claimed_by: str | None = None,
) -> Report:
    """Deliver due messages until none is due, `limit` were handled, or `stop` is set.

    Needs an app context; commits the session (after each message). A server that cannot be
    reached ends the round with `connection_error` set and the batch put back with a backoff.
    A database that cannot be reached is asked again every few seconds while the claim's
    lease lasts: a message the server took is recorded as sent (not sent again when the lease
    ends), and a claim whose rows were never read is given back, once it answers.
    """
    app = current_app._get_current_object()
    config = app.config
    lease = timedelta(seconds=config["MAIL_LEASE_SECONDS"])
    report = Report()
    transport = _transport(app)
    try:
        while not (stop is not None and stop.is_set()):
            size = config["MAIL_BATCH_SIZE"]
            if limit is not None:
                size = min(size, limit - report.handled)
                if size <= 0:
                    break
            name = claimed_by or outbox.worker_name()
            try:
                batch = outbox.claim(size, lease, name)
            except (OperationalError, InterfaceError):
                until = now_utc() + lease
                once_reachable(partial(outbox.release_claim, name), until=until, stop=stop)
                continue
            if not batch:
                break
            batch = ceiling.admit(batch)
            _deliver_batch(batch, transport, report, stop)
            if report.connection_error:
                break
    finally:
        transport.close()
    return report


def _deliver_batch(
    batch: list[Claimed],
    transport: SmtpTransport | FileTransport,
    report: Report,
    stop: threading.Event | None,
) -> None:
    # A message is started only if its lease outlasts the worst case of one SMTP exchange
    # (connect, MAIL, RCPT, DATA, each bounded by the timeout), so no other sender can have
    # taken it over while it is on the wire.
    margin = timedelta(seconds=current_app.config["MAIL_TIMEOUT"] * 4)
    for index, message in enumerate(batch):
        try:
            message, email = _recorded(message, stop, partial(_built, message))
        except BuildError as exc:
            _failed(message, str(exc), report, stop)
            continue
        except composer.Overtaken as exc:
            logger.info("mail %s (%s) not sent, overtaken: %s", message.id, message.kind, exc)
            _recorded(message, stop, partial(outbox.drop, message))
            report.dropped += 1
            continue
        if (stop is not None and stop.is_set()) or now_utc() + margin > message.lease_expires_at:
            _recorded(message, stop, partial(outbox.release, batch[index:]))
            report.released += len(batch) - index
            return
        try:
            transport.send(message, email)
        except PermanentFailure as exc:
            _failed(message, str(exc), report, stop)
        except TemporaryFailure as exc:
            _temporary(message, str(exc), report, stop)
        except ConnectionFailure as exc:
            logger.warning("mail server unavailable: %s", exc)
            report.connection_error = str(exc)
            for waiting in batch[index:]:
                _temporary(waiting, str(exc), report, stop)
            return
        else:
            if _recorded(message, stop, partial(outbox.mark_sent, message)):
                report.sent += 1
            else:
                logger.warning(
                    "mail %s was sent after another sender had taken it over; the person "
                    "may receive it twice (same Message-ID)",
                    message.id,
                )


def _built(message: Claimed) -> tuple[Claimed, EmailMessage]:
    """The message, written now if it was queued unwritten, and its MIME form."""
    if not message.written:
        message = _written(message)
    email = build_message(message)
    # No transaction stays open while talking to the mail server.
    db.session.commit()
    return message, email


def _written(message: Claimed) -> Claimed:
    try:
        return composer.write_claimed(message)
    except (OperationalError, InterfaceError):
        raise  # the database is away: asked again (`_recorded`)
    except composer.Overtaken:
        raise
    except composer.NotWritable as exc:
        raise BuildError(str(exc)) from exc
    except Exception as exc:
        # A message that cannot be written fails alone, visibly, instead of stopping the
        # sender at every round.
        logger.exception("cannot write mail %s (%s)", message.id, message.kind)
        raise BuildError(f"cannot write the message: {exc}") from exc


def _recorded(message: Claimed, stop: threading.Event | None, call):
    """`call()`, asked again while the database is away, as long as the claim holds."""
    return once_reachable(call, until=message.lease_expires_at, stop=stop)


def _failed(message: Claimed, reason: str, report: Report, stop=None) -> None:
    logger.warning("mail %s (%s) failed: %s", message.id, message.kind, reason)
    _recorded(message, stop, partial(outbox.mark_failed, message, reason))
    report.failed += 1
    report.failures.append((message.id, reason))


def _temporary(message: Claimed, reason: str, report: Report, stop=None) -> None:
    state = _recorded(message, stop, partial(outbox.mark_temporary_failure, message, reason))
    if state is OutboxState.FAILED:
        logger.warning(
            "mail %s (%s) gave up after %s attempts: %s",
            message.id,
            message.kind,
            message.attempts,
            reason,
        )
        report.failed += 1
        report.failures.append((message.id, reason))
    else:
        report.deferred += 1


# --- The background sender of the web process ---------------------------------------------


class BackgroundSender:
    """A thread that delivers the outbox inside a web process.

    It sleeps until woken (a commit wrote outbox rows) or until the next row falls due, so a
    retry after a backoff happens without any request. Started lazily in the process that
    serves requests, so each gunicorn worker (after the fork) has its own.
    """

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._pid: int | None = None
        self._lock = threading.Lock()

    @property
    def is_running(self) -> bool:
        return self._thread is not None and self._thread.is_alive() and self._pid == os.getpid()

    def ensure_started(self) -> None:
        if self.is_running:
            return
        with self._lock:
            if self.is_running:
                return
            self._stop.clear()
            self._wake.set()  # look at the outbox once at start: rows may be waiting
            self._pid = os.getpid()
            self._thread = threading.Thread(
                target=self._run, name="mail-outbox-sender", daemon=True
            )
            self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float | None = None) -> None:
        """Ask the thread to finish its current message and end; wait for it."""
        self._stop.set()
        self._wake.set()
        thread = self._thread
        if thread is not None and thread.is_alive() and thread is not threading.current_thread():
            thread.join(timeout)

    def _run(self) -> None:
        poll = self.app.config["MAIL_POLL_SECONDS"]
        pause = self.app.config["MAIL_RETRY_BASE_SECONDS"]
        while not self._stop.is_set():
            self._wake.wait(timeout=self._sleep_seconds(poll))
            self._wake.clear()
            if self._stop.is_set():
                break
            try:
                with self.app.app_context():
                    report = send_pending(stop=self._stop)
            except Exception:
                logger.exception("the background mail sender failed; trying again later")
                self._stop.wait(pause)
                continue
            if report.connection_error:
                self._stop.wait(pause)

    def _sleep_seconds(self, poll: float) -> float:
        """Until the next row falls due, at most `poll` seconds."""
        try:
            with self.app.app_context():
                due = outbox.next_due_at()
        except Exception:
            logger.exception("cannot read the outbox")
            return poll
        if due is None:
            return poll
        return min(poll, max((due - now_utc()).total_seconds(), 0.0))


def background_sender(app: Flask) -> BackgroundSender | None:
    return app.extensions.get(EXTENSION_KEY)


def background_enabled(app: Flask) -> bool:
    setting = app.config.get("MAIL_BACKGROUND_SENDER")
    return (not app.testing) if setting is None else bool(setting)


# Session events: remember a flush that wrote a pending outbox row; wake after the commit.
# The flag is not cleared on a rollback: a savepoint's rollback must not forget rows flushed
# before it, and a stale flag costs one needless look at the outbox.
_FLAG = "mail_outbox_written"


def _after_flush(session: Session, flush_context) -> None:
    for instance in (*session.new, *session.dirty):
        if isinstance(instance, OutboxMessage) and instance.state is OutboxState.PENDING:
            session.info[_FLAG] = True
            return


def _after_commit(session: Session) -> None:
    if not session.info.pop(_FLAG, False) or not has_app_context():
        return
    sender = background_sender(current_app._get_current_object())
    if sender is None:
        return
    if has_request_context():
        sender.ensure_started()
    sender.wake()


def _listen_once() -> None:
    for name, handler in (
        ("after_flush", _after_flush),
        ("after_commit", _after_commit),
    ):
        if not sa_event.contains(Session, name, handler):
            sa_event.listen(Session, name, handler)


def init_app(app: Flask) -> None:
    _listen_once()
    if not background_enabled(app):
        return
    sender = BackgroundSender(app)
    app.extensions[EXTENSION_KEY] = sender

    @app.before_request
    def start_mail_sender() -> None:
        sender.ensure_started()
