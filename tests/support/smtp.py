"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives."""
from __future__ import annotations

import email
import email.policy
import logging
import re
import threading
from email.message import EmailMessage

from aiosmtpd.controller import Controller

from tests.support.ports import free_port

# The test server's own chatter (every SMTP command) is not the app's log.
logging.getLogger("mail.log").setLevel(logging.WARNING)


# Addresses the server answers as a real one might: refused-…@ for good (550), busy-…@
# once for now (451: the sender should try again later), then accepted.
REFUSED, BUSY = "refused-", "busy-"


class _Keeper:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.peers: list[tuple] = []  # the client's address of each message: its connection
        self.deferred: set[str] = set()
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address.startswith(REFUSED):
            return "550 5.1.1 No such mailbox here"
        if address.startswith(BUSY):
            with self.lock:
                if address not in self.deferred:
                    self.deferred.add(address)
                    return "451 4.3.0 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        message = email.message_from_bytes(envelope.original_content or envelope.content,
                                           policy=email.policy.default)
        with self.lock:
            self.messages.append(message)
            self.peers.append(session.peer)
        return "250 Message accepted for delivery"


class Mailbox:
    """What arrived at the loopback SMTP server during one test. Mail is sent by
    background jobs: reading the mailbox first runs the jobs of the test's apps
    (``settlers``, filled by tests.support.jobs.settle_mail_of)."""

    def __init__(self, keeper: _Keeper, host: str, port: int) -> None:
        self._keeper = keeper
        self.host = host
        self.port = port
        self.settlers: list = []

    def clear(self) -> None:
        self._settle()  # mail already queued arrives now, not after the clearing
        with self._keeper.lock:
            self._keeper.messages.clear()
            self._keeper.peers.clear()
            self._keeper.deferred.clear()

    def _settle(self) -> None:
        for settle in self.settlers:
            settle()

    @property
    def messages(self) -> list[EmailMessage]:
        self._settle()
        with self._keeper.lock:
            return list(self._keeper.messages)

    @property
    def connections(self) -> int:
        """How many SMTP connections the messages received came over."""
        self._settle()
        with self._keeper.lock:
            return len(set(self._keeper.peers))

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address.lower() in m["To"].lower()]

    def body(self, message: EmailMessage) -> str:
        return message.get_body(("plain",)).get_content().replace("\r\n", "\n")

    def last_link(self, address: str, path_prefix: str) -> str:
        """The path of the last link starting ``path_prefix`` e-mailed to ``address``."""
        for message in reversed(self.to(address)):
            found = re.search(r"https?://[^/\s]+(" + re.escape(path_prefix) + r"\S+)",
                              self.body(message))
            if found:
                return found.group(1)
        raise AssertionError(f"No {path_prefix} link was e-mailed to {address}")


class SmtpServer:
    def __init__(self) -> None:
        self.keeper = _Keeper()
        self.port = free_port()
        self.controller = Controller(self.keeper, hostname="127.0.0.1", port=self.port)

    def start(self) -> "SmtpServer":
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    def mailbox(self) -> Mailbox:
        return Mailbox(self.keeper, "127.0.0.1", self.port)
