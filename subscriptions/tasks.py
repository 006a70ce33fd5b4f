"""The worker's task that stores a newsletter issue's emails, and the step that queues it."""

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from core.resuming import resumable
from subscriptions import editions
from subscriptions.models import Edition


@resumable
@task()
def send_edition(edition_id):
    """Store the emails of a newsletter issue staff pressed Send on; the outbox sends them."""
    edition = Edition.objects.filter(pk=edition_id, status=Edition.Status.SENDING).first()
    return editions.queue_emails(edition) if edition else 0


def start_sending(edition, *, by=None):
    """Mark a draft as sending; return False if it was sent or is being sent already."""
    with transaction.atomic():  # marked as sending only with its task queued
        changed = Edition.objects.filter(pk=edition.pk, status=Edition.Status.DRAFT).update(
            status=Edition.Status.SENDING, queued_at=timezone.now()
        )
        if changed:
            send_edition.enqueue(edition.pk)
    return bool(changed)
