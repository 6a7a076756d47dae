"""A real SMTP server on loopback for the mail tests (aiosmtpd), on a port the OS picks.

The listening socket is bound when the object is made, before the server starts: until
`start()` a connection is refused, which is how a mail server outage looks to a sender.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        return message_from_bytes(self.data, policy=policy.default)


class Recorder:
    """The server's handler: records accepted messages; can refuse, delay or hang."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.lock = threading.Lock()
        #: address -> SMTP reply for RCPT TO, e.g. "550 5.1.1 No such user"
        self.refuse: dict[str, str] = {}
        #: seconds to wait before accepting each message
        self.delay = 0.0
        #: once this many messages were accepted, DATA hangs (until the client goes away)
        self.hang_after: int | None = None
        self.hanging = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.hang_after is not None and len(self.received) >= self.hang_after:
            self.hanging.set()
            # Cancelled by aiosmtpd when the client's connection is lost: never accepted.
            await asyncio.sleep(3600)
        if self.delay:
            await asyncio.sleep(self.delay)
        with self.lock:
            self.received.append(
                Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.content)
            )
        return "250 2.0.0 Accepted"


class _BoundController(Controller):
    def __init__(self, handler, sock: socket.socket, **kwargs) -> None:
        super().__init__(handler, hostname="127.0.0.1", port=sock.getsockname()[1], **kwargs)
        self._sock = sock

    def _create_server(self):
        return self.loop.create_server(self._factory_invoker, sock=self._sock)


class SmtpServer:
    def __init__(self) -> None:
        self.handler = Recorder()
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.bind(("127.0.0.1", 0))
        self.port = self._sock.getsockname()[1]
        self._controller: _BoundController | None = None

    def start(self) -> None:
        self._controller = _BoundController(
            self.handler, self._sock, server_hostname="smtp.test", ready_timeout=10
        )
        self._controller.start()

    def close(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
        self._sock.close()

    @property
    def received(self) -> list[Received]:
        with self.handler.lock:
            return list(self.handler.received)

    def messages(self) -> list[EmailMessage]:
        return [r.message for r in self.received]

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Received]:
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.received


class HangingServer:
    """Accepts TCP connections (the kernel does) and never says a word: a hung mail server."""

    def __init__(self) -> None:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self.port = self._sock.getsockname()[1]

    def close(self) -> None:
        self._sock.close()


def smtp_config(port: int, **extra) -> dict:
    """App settings that send mail to a test server listening on `port`."""
    return {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": port,
        # Flask-Mail only pretends to send when TESTING, unless told otherwise.
        "MAIL_SUPPRESS_SEND": False,
        "MAIL_DEFAULT_SENDER": "pieteikumi@partneriba.example",
        "ORGANISATION_NAME": "Biedrība „Lauku partnerība”",
        "MAIL_TIMEOUT": 5,
        "MAIL_LEASE_SECONDS": 60,
        **extra,
    }
