"""Queue email in the caller's transaction; the worker delivers it (outbox/delivery.py).

What the other apps use: `composer` marks a function that composes emails, `enqueue` queues
one in the caller's transaction, `send` and `send_bulk` store ready-made emails at once.
"""

from django.db import transaction
from django.utils import timezone

from outbox import tasks
from outbox.models import Email
from outbox.store import check_composer, composer, forget, path_of, store, store_bulk

__all__ = ["composer", "enqueue", "send", "send_bulk", "wake_worker", "retry_now", "forget"]

wake_worker = tasks.wake_worker


def enqueue(function, **ids):
    """Queue `function(**ids)` to compose and send its emails, in the caller's transaction."""
    path = path_of(function)
    check_composer(path)
    tasks.compose.enqueue(path, ids)


def send(messages):
    """Store `messages` in the caller's transaction, and have the worker deliver them."""
    emails = store(messages)
    if emails:
        wake_worker()
    return emails


def send_bulk(content, recipients, *, kind, batch, chunk=1000):
    """Store one email of `content` for each (key, address, values) in `recipients`, and
    have the worker deliver them; return how many were stored (outbox/store.py)."""
    added = store_bulk(content, recipients, kind=kind, batch=batch, chunk=chunk)
    if added:
        wake_worker()
    return added


def retry_now(emails):
    """Queue `emails` (failed or waiting) to be sent at once; return how many."""
    Status = Email.Status
    with transaction.atomic():
        count = emails.exclude(status__in=[Status.SENT, Status.SENDING]).update(
            status=Status.QUEUED, next_attempt_at=timezone.now(), claimed_at=None
        )
        if count:
            wake_worker()
    return count
