"""The worker's tasks (django-tasks, database backend): compose emails and deliver them."""

from django_tasks import task

from outbox import delivery, queue
from outbox.sweep import resumable


@resumable
@task()
def compose(path, ids):
    """Run the composer `path` with `ids`, store its emails and deliver what is due."""
    queue.run_composer(path, ids)
    return delivery.deliver_due()


@task()
def deliver():
    """Deliver every email that is due."""
    return delivery.deliver_due()
