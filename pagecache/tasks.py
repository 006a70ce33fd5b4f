"""The worker's task that purges the front cache (pagecache/frontcache.py).

A change queues it in its own transaction (pagecache/purging.py), so a purge is never lost:
when the front cache does not answer, the task queues itself again a little later, for as
long as RETRY_DELAYS lasts; the sweep (outbox/sweep.py) starts it again if its worker died.
"""

import logging
from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from core.resuming import resumable
from pagecache import frontcache

logger = logging.getLogger("alsblog.pagecache")

# Seconds before each new try, then every 10 minutes for a day.
RETRY_DELAYS = [1, 2, 5, 15, 30, 60, 120, 300] + [600] * 144


@resumable
@task(queue_name="purges")  # a worker of its own sends them at once (settings.TASKS)
def purge(keys, attempt=0):
    """Purge the pages that answer to `keys`; on failure, try again later."""
    try:
        frontcache.purge(keys)
    except frontcache.PurgeFailed as problem:
        if attempt >= len(RETRY_DELAYS):
            logger.error("Gave up purging %s from the front cache: %s", keys, problem)
            return "gave up"
        delay = RETRY_DELAYS[attempt]
        logger.warning("Purging %s failed (%s); trying again in %s s", keys, problem, delay)
        later = timezone.now() + timedelta(seconds=delay)
        purge.using(run_after=later).enqueue(keys, attempt + 1)
        return "retrying"
    return "purged"
