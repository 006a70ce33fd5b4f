"""Queue a purge of the front cache for the keys a change touches (pagecache/keys.py).

Called in the transaction of the change (pagecache.versions.bump does), so the purge is
queued exactly when the change commits, and never for a change that rolled back; the worker
sends it (pagecache/tasks.py). Without a front cache (FRONT_CACHE empty), nothing is queued.
"""

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
    (tasks.purge.using(run_after=at) if at else tasks.purge).enqueue(keys)
