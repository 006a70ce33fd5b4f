"""Email under `make run`: printed for a person to read, not as raw MIME.

Django's console backend prints each message as it would go over the wire: encoded subjects
(=?utf-8?q?...?=), every part, the HTML in full. This one prints a clear separator, the
decoded headers a person looks at, and the plain-text part alone; the admin's Emails page
shows each email as its reader would see it, HTML included.
"""

import sys
import threading

from django.core.mail.backends.base import BaseEmailBackend

RULE = "=" * 72


class ReadableConsoleBackend(BaseEmailBackend):
    def __init__(self, *args, stream=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.stream = stream or sys.stdout
        self._lock = threading.RLock()

    def send_messages(self, email_messages):
        if not email_messages:
            return 0
        with self._lock:
            for message in email_messages:
                self.stream.write(self.readable(message))
            self.stream.flush()
        return len(email_messages)

    @staticmethod
    def readable(message):
        lines = [
            "",
            RULE,
            f"Email to {', '.join(message.to)}"
            + (f" (cc {', '.join(message.cc)})" if message.cc else ""),
            f"From:    {message.from_email}",
            f"Subject: {message.subject}",
        ]
        if message.reply_to:
            lines.append(f"Reply-To: {', '.join(message.reply_to)}")
        html = any(kind == "text/html" for _, kind in getattr(message, "alternatives", []))
        lines += [RULE, message.body.rstrip(), RULE]
        if html:
            lines.append(
                "(Also sent as HTML, with the same words; the admin's Emails page lists it.)"
            )
        return "\n".join(lines) + "\n"
