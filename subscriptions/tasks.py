from django_tasks import task

from outbox.tasks import resumable
from subscriptions import editions
from subscriptions.models import Edition


@resumable
@task()
def send_edition(edition_id):
    """Store the emails of a newsletter issue staff pressed Send on; the outbox sends them."""
    edition = Edition.objects.filter(pk=edition_id, status=Edition.Status.SENDING).first()
    return editions.queue_emails(edition) if edition else 0
