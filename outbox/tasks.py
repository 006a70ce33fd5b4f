"""The worker's tasks (django-tasks, database backend): compose emails and deliver them.

After each run a delivery run is queued for when the next waiting email falls due, so a
retry never waits for something else to wake the worker.
"""

from django.db.models import Q
from django_tasks import task
from django_tasks_db.models import DBTaskResult, get_date_max

from core.resuming import resumable
from outbox import delivery, store


@resumable
@task()
def compose(path, ids):
    """Run the composer `path` with `ids`, store its emails and deliver what is due."""
    store.run_composer(path, ids)
    return deliver_and_schedule()


@task()
def deliver():
    """Deliver every email that is due."""
    return deliver_and_schedule()


def deliver_and_schedule():
    """Send what is due; queue the next run for when the next email falls due. Returns how
    many were sent."""
    done = delivery.deliver_due()
    schedule_next_run(not_before=done.retry_not_before)
    return done.sent


def wake_worker(*, at=None):
    """Queue a delivery run (at `at`, or as soon as a worker is free)."""
    (deliver.using(run_after=at) if at else deliver).enqueue()


def schedule_next_run(*, not_before=None):
    """Make sure a delivery run is queued for when the next waiting email falls due
    (and not before `not_before`)."""
    first = delivery.next_due(not_before=not_before)
    if first is not None and not _delivery_queued_by(first):
        wake_worker(at=first)


def _delivery_queued_by(moment):
    ready = DBTaskResult.objects.filter(status="READY", task_path=deliver.module_path)
    return ready.filter(Q(run_after__lte=moment) | Q(run_after=get_date_max())).exists()
