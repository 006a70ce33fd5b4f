"""How many requests of one process may post comments at once: a share of its threads.

A flood of comment posts must never take every thread a process has, or readers wait
behind it. gunicorn's gthread worker runs GUNICORN_THREADS requests at once; posting may use
COMMENTS_POSTING_THREADS of them (by default all but one). A post that finds its share busy
is answered at once with a short "busy" page that needs no database: a 503 with
Retry-After, and the reader's text shown back to copy (their browser's draft keeps it too).
"""

import threading
from functools import wraps

from django.conf import settings

from core import unavailable

_lock = threading.Lock()
_share = {}  # {share size: its semaphore}, so that a changed setting takes effect


def _semaphore():
    size = max(1, settings.COMMENTS_POSTING_THREADS)
    with _lock:
        return _share.setdefault(size, threading.BoundedSemaphore(size))


def within_posting_share(view):
    """Let `view`'s POSTs run only within this process's share of threads for posting."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "POST":
            return view(request, *args, **kwargs)
        share = _semaphore()
        if not share.acquire(blocking=False):
            return unavailable.response(request, busy=True)
        try:
            return view(request, *args, **kwargs)
        finally:
            share.release()

    return wrapper
