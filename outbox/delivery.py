"""Deliver what the outbox holds: each email once, retried with backoff when it fails.

Several workers may run at once: each claims a batch of due emails (skipping rows another
worker has locked, on PostgreSQL; SQLite lets one writer claim at a time), sends it over one
SMTP connection outside any transaction, and records each result. A worker that dies
mid-batch leaves its claims, which fall due again after CLAIM_TIMEOUT. A mail server that
is down or says "try later" (4xx) means a retry after a growing delay; one that refuses an
address for good (5xx) fails that email at once, with the server's words.
"""

import logging
import smtplib
from datetime import datetime, timedelta
from typing import NamedTuple

from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from outbox.models import Email

logger = logging.getLogger("alsblog.outbox")

Status = Email.Status
BATCH = 100
# Seconds to wait before each retry; then every 15 minutes until GIVE_UP_AFTER.
RETRY_DELAYS = [30, 60, 120, 300, 600, 900]
GIVE_UP_AFTER = timedelta(days=3)
CLAIM_TIMEOUT = timedelta(minutes=10)


class Permanent(Exception):
    """The server refused this message for good: trying again would not help."""


class Delivered(NamedTuple):
    """What a delivery run did: how many emails it sent, and, when the mail server could
    not be reached, the moment before which no run should try again."""

    sent: int
    retry_not_before: datetime | None = None


def deliver_due():
    """Send every email that is due now; return Delivered.

    Stops at the first batch the mail server could not take: the rest wait for the retry
    that batch scheduled, rather than each batch waiting out its own connection timeout.
    """
    sent = 0
    try:
        while emails := claim(BATCH):
            sent += send_claimed(emails)
    except ServerDown:  # the emails still queued wait for the first retry too
        retrying = Email.objects.filter(status=Status.RETRYING)
        return Delivered(sent, retrying.aggregate(first=Min("next_attempt_at"))["first"])
    return Delivered(sent)


class ServerDown(Exception):
    """The mail server could not be reached, or the connection broke mid-batch."""


def claim(size):
    """Mark up to `size` due emails as this worker's, and return them."""
    now = timezone.now()
    with transaction.atomic():
        due = Email.objects.due(now, claim_timeout=CLAIM_TIMEOUT).order_by("next_attempt_at", "id")
        ids = list(due.select_for_update(skip_locked=True).values_list("pk", flat=True)[:size])
        if not ids:
            return []
        Email.objects.filter(pk__in=ids).update(status=Status.SENDING, claimed_at=now)
    return list(Email.objects.filter(pk__in=ids).select_related("content").order_by("id"))


def still_mine(email):
    """Renew this worker's claim on `email` just before sending it; False if it lost it.

    A claim older than CLAIM_TIMEOUT may be taken by another worker (its first owner is
    presumed dead), so each email's claim is renewed as its turn comes: a slow server
    does not let a batch's last emails fall due while they wait.
    """
    now = timezone.now()
    renewed = Email.objects.filter(
        pk=email.pk, status=Status.SENDING, claimed_at=email.claimed_at
    ).update(claimed_at=now)
    email.claimed_at = now
    return bool(renewed)


def send_claimed(emails):
    """Send `emails` over one connection; record each result. Return how many were sent.

    Raises ServerDown, once every email left is set to retry, if the server cannot be
    reached or the connection breaks.
    """
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
    except Exception as error:  # the server is down: everything waits for the next try
        for email in emails:
            retry_later(email, describe(error))
        raise ServerDown from error
    sent = 0
    try:
        for index, email in enumerate(emails):
            if not still_mine(email):
                continue
            try:
                message = as_message(email, connection)
                message.message()  # a header or text that cannot be sent fails here
            except Exception as error:  # this one email cannot be built: it never will be
                fail(email, describe(error))
                continue
            try:
                connection.send_messages([message])
            except Permanent as error:
                fail(email, str(error))
            except (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused) as error:
                if is_permanent(error):
                    fail(email, describe(error))
                else:
                    retry_later(email, describe(error))
            except smtplib.SMTPNotSupportedError as error:  # e.g. an address the server
                fail(email, describe(error))  # cannot take (SMTPUTF8): the same next time
            except Exception as error:  # the connection broke: this and the rest wait
                for waiting in emails[index:]:
                    retry_later(waiting, describe(error))
                raise ServerDown from error
            else:
                mark_sent(email)
                sent += 1
    finally:
        try:
            connection.close()
        except Exception:
            logger.warning("Closing the mail connection failed", exc_info=True)
    return sent


def as_message(email, connection=None):
    content = email.content
    headers = {name: email.fill(value) for name, value in content.headers.items()}
    message = EmailMultiAlternatives(
        subject=email.fill(content.subject),
        body=email.fill(content.text),
        to=[email.to],
        headers=headers,
        connection=connection,
    )
    if content.html:
        message.attach_alternative(email.fill(content.html, html=True), "text/html")
    return message


def is_permanent(error):
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return bool(codes) and all(500 <= code < 600 for code in codes)
    return 500 <= getattr(error, "smtp_code", 0) < 600


def describe(error):
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{address}: {code} {_text(reply)}"
            for address, (code, reply) in error.recipients.items()
        )
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{error.smtp_code} {_text(error.smtp_error)}"
    return f"{type(error).__name__}: {error}"


def _text(reply):
    return reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)


def _claimed(email):
    """`email`'s row, if this worker's claim on it still holds (results go only there)."""
    return Email.objects.filter(pk=email.pk, status=Status.SENDING, claimed_at=email.claimed_at)


def mark_sent(email):
    now = timezone.now()
    _claimed(email).update(
        status=Status.SENT, sent_at=now, attempts=email.attempts + 1, claimed_at=None, last_error=""
    )


def fail(email, error):
    logger.warning("Email %s to %s refused for good: %s", email.pk, email.to, error)
    _claimed(email).update(
        status=Status.FAILED, attempts=email.attempts + 1, claimed_at=None, last_error=error
    )


def retry_later(email, error):
    attempts = email.attempts + 1
    now = timezone.now()
    if now - email.created_at > GIVE_UP_AFTER:
        fail(email, f"Gave up after {attempts} attempts over {GIVE_UP_AFTER.days} days: {error}")
        return
    delay = RETRY_DELAYS[min(attempts, len(RETRY_DELAYS)) - 1]
    logger.info("Email %s to %s will be retried in %s s: %s", email.pk, email.to, delay, error)
    _claimed(email).update(
        status=Status.RETRYING,
        attempts=attempts,
        claimed_at=None,
        last_error=error,
        next_attempt_at=now + timedelta(seconds=delay),
    )


def next_due(*, not_before=None):
    """When the next waiting email falls due (not before `not_before`), or None."""
    later = Email.objects.filter(status__in=[Status.QUEUED, Status.RETRYING])
    claims = Email.objects.filter(status=Status.SENDING)
    times = [
        later.aggregate(first=Min("next_attempt_at"))["first"],
        # A claim by a worker that dies falls due once it is CLAIM_TIMEOUT old.
        _plus(claims.aggregate(first=Min("claimed_at"))["first"], CLAIM_TIMEOUT),
    ]
    times = [moment for moment in times if moment is not None]
    if not times:
        return None
    return max(min(times), not_before or timezone.now())


def _plus(moment, delta):
    return moment + delta if moment is not None else None
