"""Email under `make run` is printed for a person: decoded headers, the text alone, a rule."""

import io

from django.core.mail import EmailMultiAlternatives

from outbox.console import RULE, ReadableConsoleBackend


def printed(message):
    stream = io.StringIO()
    ReadableConsoleBackend(stream=stream).send_messages([message])
    return stream.getvalue()


def test_an_email_is_printed_with_its_subject_decoded_and_its_text_alone():
    message = EmailMultiAlternatives(
        subject="Your comment on “Tofersen — what’s next” is live",
        body="Hello Ana,\n\nYour comment is now public.",
        from_email="ALS Research News <news@localhost>",
        to=["ana@example.com"],
    )
    message.attach_alternative("<html><body><p>Hello Ana</p></body></html>", "text/html")
    shown = printed(message)
    assert "Subject: Your comment on “Tofersen — what’s next” is live" in shown
    assert "Hello Ana,\n\nYour comment is now public." in shown
    assert "=?utf-8?" not in shown and "<html" not in shown and "Content-Type" not in shown
    assert shown.count(RULE) == 3
    assert "the admin's Emails page" in shown
