"""A real SMTP server on loopback (aiosmtpd) for the mail tests.

server = SMTPServer(); server.start()      # 127.0.0.1, a free port
server.stop(); server.start()              # down, then up again on the same port
server.answer_next("451 4.3.0 Try later")  # the next mail gets this answer, not a 250
server.refuse("nobody@example.be", "550 5.1.1 No such user"); server.accept("nobody@example.be")
server.messages                            # what it accepted, as email.message.EmailMessage
"""

import socket
import threading
import time
from collections import Counter, deque
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


class _Handler:
    def __init__(self, server: "SMTPServer"):
        self.server = server

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if reply := self.server._refused.get(address.lower()):
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        return self.server._receive(envelope)


class SMTPServer:
    def __init__(self, host: str = "127.0.0.1", port: int | None = None):
        self.host = host
        self.port = port or free_port(host)
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []  # (MAIL FROM, RCPT TO) of each
        self._replies: deque[str] = deque()
        self._refused: dict[str, str] = {}
        self._lock = threading.Lock()
        self._controller: Controller | None = None

    @property
    def running(self) -> bool:
        return self._controller is not None

    def start(self) -> "SMTPServer":
        if self._controller is None:
            self._controller = Controller(
                _Handler(self), hostname=self.host, port=self.port, ready_timeout=5
            )
            self._controller.start()
        return self

    def stop(self) -> None:
        """Close the port: clients now get "connection refused", as when a server is down."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def answer_next(self, reply: str, times: int = 1) -> None:
        """Answer the next `times` mails' DATA with `reply` (e.g. 451 …, 554 …)."""
        with self._lock:
            self._replies.extend([reply] * times)

    def refuse(self, address: str, reply: str = "550 5.1.1 No such user here") -> None:
        self._refused[address.lower()] = reply

    def accept(self, address: str) -> None:
        """Take mail for `address` again (the mailbox was fixed)."""
        self._refused.pop(address.lower(), None)

    def message_ids(self) -> Counter:
        """How many times each Message-ID arrived."""
        with self._lock:
            return Counter(m["Message-ID"] for m in self.messages)

    def wait_for(self, count: int, timeout: float = 5.0) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.01)
        return self.messages

    def _receive(self, envelope) -> str:
        with self._lock:
            if self._replies:
                return self._replies.popleft()
            self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"
