"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives; tests wait on it with a bounded wait."""
from __future__ import annotations

import socket
import threading
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


@dataclass(frozen=True)
class Received:
    to: str
    subject: str
    body: str


class Inbox:
    """The aiosmtpd handler: each accepted message is parsed and kept; waiting threads are woken."""

    def __init__(self) -> None:
        self.messages: list[Received] = []
        self._arrived = threading.Condition()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        parsed: EmailMessage = message_from_bytes(envelope.content, policy=policy.default)
        with self._arrived:
            for rcpt in envelope.rcpt_tos:
                self.messages.append(Received(rcpt, str(parsed["Subject"]), parsed.get_content()))
            self._arrived.notify_all()
        return "250 OK"

    def wait_for(self, count: int, timeout: float = 5.0) -> list[Received]:
        """At least ``count`` messages, or fail after ``timeout`` seconds (no sleeping loop)."""
        with self._arrived:
            assert self._arrived.wait_for(lambda: len(self.messages) >= count, timeout), self.messages
            return list(self.messages)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpServer:
    """Start, stop and start again on the same port (an outage and its end)."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.inbox = Inbox()
        self._controller: Controller | None = None

    def start(self) -> SmtpServer:
        self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
