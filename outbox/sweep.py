"""Pick up what a crashed or failed worker left: run every few minutes (sweep_outbox, cron).

The worker's task queue (django-tasks-db) never runs a task again once it failed, and a task
a worker was running when it died stays "running" for good. For the tasks registered here as
resumable (composing emails, storing a newsletter issue's emails: both safe to run twice,
since every email has a unique key), the sweep queues a fresh copy and removes the dead one.
It also queues a delivery run for any email that is due and has none waiting: after a crash
mid-send, claims fall due again after delivery.CLAIM_TIMEOUT.
"""

import logging

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django_tasks_db.models import DBTaskResult

from core.resuming import resumable_tasks
from outbox import delivery, tasks

logger = logging.getLogger("alsblog.outbox")

# A resumable task still "running" after this long is taken to belong to a dead worker.
STALE_AFTER = delivery.CLAIM_TIMEOUT


def sweep():
    """Resume dead or failed resumable tasks, and make sure due mail has a delivery run.

    Returns how many tasks were queued again.
    """
    autodiscover_modules("tasks")  # each app's tasks module registers its resumable tasks
    resumable = resumable_tasks()
    stale = timezone.now() - STALE_AFTER
    dead = DBTaskResult.objects.filter(task_path__in=list(resumable)).filter(
        Q(status="FAILED") | Q(status="RUNNING", started_at__lt=stale)
    )
    resumed = 0
    with transaction.atomic():
        for result in dead.select_for_update(skip_locked=True):
            task = resumable[result.task_path]
            task.enqueue(*result.args_kwargs["args"], **result.args_kwargs["kwargs"])
            logger.warning(
                "Resumed %s (it had %s)", result.task_path,
                "failed" if result.status == "FAILED" else "stopped with its worker",
            )  # fmt: skip
            result.delete()
            resumed += 1
        tasks.schedule_next_run()
    return resumed
