"""Queue a purge of the front cache for the keys a change touches (pagecache/keys.py).

Called in the transaction of the change (pagecache.versions.bump does), so the purge is
queued exactly when the change commits, and never for a change that rolled back; the worker
sends it (pagecache/tasks.py). Without a front cache (FRONT_CACHE empty), nothing is queued.

Each purge is queued twice: at once, and again FRONT_CACHE_PURGE_AGAIN_SECONDS later. A page
that a reader asked for just before the change commits is made from the data of before it;
if it reaches the front cache after the first purge went out, nothing else would take it out
until its s-maxage ran out. The front cache waits only so long for a page it may keep
(deploy/varnish/alsblog.vcl: 5 s), so the second purge, later than that, always finds it.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from pagecache import frontcache, tasks
from pagecache import keys as surrogate_keys


def queue(keys=None, *, at=None):
    """Purge `keys` (every shared page when None) once the change commits, or at `at`.

    `keys` may be a function that gives them: it is only called when there is a front cache
    to purge, so that working them out costs nothing without one.
    """
    if not frontcache.configured():
        return
    if callable(keys):
        keys = keys()
    keys = sorted(set(keys)) if keys else [surrogate_keys.SITE]
    again = timedelta(seconds=settings.FRONT_CACHE_PURGE_AGAIN_SECONDS)
    (tasks.purge.using(run_after=at) if at else tasks.purge).enqueue(keys)
    tasks.purge.using(run_after=(at or timezone.now()) + again).enqueue(keys)
