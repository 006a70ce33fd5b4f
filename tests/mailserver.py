"""A real SMTP server on 127.0.0.1 for the tests where delivery matters (aiosmtpd).

`smtp_server` (a fixture in conftest.py) starts one on a free port and points Django's SMTP
backend at it. It can be stopped and started again on the same port, and told to refuse an
address for good (550) or for now (451).
"""

import email
import email.policy
import socket

from aiosmtpd.controller import Controller


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Recorder:
    """The server's handler: keeps every message it accepts, refuses what it is told to."""

    def __init__(self):
        self.messages = []
        self.refuse_for_good = set()
        self.refuse_for_now = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse_for_good:
            return "550 5.1.1 No such mailbox here"
        if address in self.refuse_for_now:
            return "451 4.3.0 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(message)
        return "250 Message accepted for delivery"


class MailServer:
    def __init__(self):
        self.port = free_port()
        self.recorder = Recorder()
        self.controller = None

    @property
    def messages(self):
        return self.recorder.messages

    def start(self):
        self.controller = Controller(self.recorder, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def to(self, address):
        """The messages accepted for `address`."""
        return [message for message in self.messages if address in message["To"]]

    def refuse(self, address, *, for_good=True):
        (self.recorder.refuse_for_good if for_good else self.recorder.refuse_for_now).add(address)


def text_of(message):
    """The plain-text part of an accepted message."""
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message):
    part = message.get_body(preferencelist=("html",))
    return part.get_content() if part is not None else ""
