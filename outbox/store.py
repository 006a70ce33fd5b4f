"""Store messages as Email rows: what a composer returns, or a mailing's many recipients.

Every email is stored under a key, once: storing a key again does nothing, so a composer or
a mailing that runs twice sends nothing twice.
"""

from django.db import IntegrityError, transaction
from django.utils.module_loading import import_string

from outbox.models import Content, Email

_composers = set()


def composer(function):
    """Mark `function(**ids)` as a composer: it returns the Messages an event should send.

    A composer runs in the worker, after the change that queued it has committed; it reads
    what it needs by id (and sends nothing if that is gone).
    """
    _composers.add(path_of(function))
    return function


def path_of(function):
    return f"{function.__module__}.{function.__qualname__}"


def check_composer(path):
    if path not in _composers:
        raise ValueError(f"{path} is not an @outbox.queue.composer")


def run_composer(path, ids):
    """The worker's half of queue.enqueue(): compose, store and return the emails."""
    if path not in _composers:
        import_string(path)  # its module registers it on import
    check_composer(path)
    return store(import_string(path)(**ids))


def store(messages):
    """Store each message as an Email unless its key is stored already; return the new ones."""
    messages = [message for message in messages if message.to]
    keys = [message.key for message in messages]
    known = set(Email.objects.filter(key__in=keys).values_list("key", flat=True)) if keys else set()
    stored = []
    for message in messages:
        if message.key in known:
            continue
        known.add(message.key)
        try:
            with transaction.atomic():
                content = Content.objects.create(
                    subject=message.subject,
                    text=message.text,
                    html=message.html,
                    headers=message.all_headers(),
                )
                email = Email.objects.create(
                    key=message.key, kind=message.kind, to=message.to, content=content
                )
        except IntegrityError:  # another worker stored the same message a moment ago
            continue
        stored.append(email)
    return stored


def forget(emails):
    """Delete `emails` (a queryset), and what they said unless another email shares it (a
    newsletter's text); return how many emails went."""
    with transaction.atomic():
        contents = set(emails.values_list("content_id", flat=True))
        count, _ = emails.delete()
        Content.objects.filter(pk__in=contents, emails=None).delete()
    return count


def store_bulk(content, recipients, *, kind, batch, chunk=1000):
    """Store one email of `content` for each (key, address, values) in `recipients`.

    A key already stored is skipped, so a mailing started again after a crash stores only
    what it had not stored yet. Returns how many were stored.
    """
    added = 0
    rows = []

    def flush():
        nonlocal added
        if not rows:
            return
        with transaction.atomic():
            before = Email.objects.filter(batch=batch).count()
            Email.objects.bulk_create(rows, ignore_conflicts=True)
            added += Email.objects.filter(batch=batch).count() - before
        rows.clear()

    for key, address, values in recipients:
        rows.append(
            Email(key=key, kind=kind, batch=batch, to=address, content=content, values=values)
        )
        if len(rows) >= chunk:
            flush()
    flush()
    return added
