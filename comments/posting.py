"""How many requests of one process may post comments at once: a share of its threads;
and, once the site-wide ceiling has been reached, a short pause for new comments.

A flood of comment posts must never take every thread a process has, or readers wait
behind it. gunicorn's gthread worker runs GUNICORN_THREADS requests at once; posting may use
COMMENTS_POSTING_THREADS of them (by default all but one). A post that finds its share busy
is answered at once with a short "busy" page that needs no database: a 503 with
Retry-After, and the reader's text shown back to copy (their browser's draft keeps it too).

Past COMMENTS_MAX_PER_MINUTE (comments/moderation.py) the process also stops asking the
database for PAUSE_SECONDS: a flood's posts are turned away here, as cheaply as can be.
"""

import re
import threading
import time

from django.conf import settings

from core import unavailable

# The address comments are posted to (comments/urls.py: "comments:post").
POST_PATH = re.compile(r"^/articles/[^/]+/comments/$")
PAUSE_SECONDS = 10
_lock = threading.Lock()
_paused_until = [0.0]
_share = {}  # {share size: its semaphore}, so that a changed setting takes effect


def pause():
    """New comments are paused: turn them away here for the next PAUSE_SECONDS."""
    _paused_until[0] = time.monotonic() + PAUSE_SECONDS


def is_paused():
    return time.monotonic() < _paused_until[0]


def _semaphore():
    size = max(1, settings.COMMENTS_POSTING_THREADS)
    with _lock:
        return _share.setdefault(size, threading.BoundedSemaphore(size))


class PostingShareMiddleware:
    """Let comment posts run only within this process's share of threads for posting.

    First in MIDDLEWARE, so that a post turned away costs next to nothing: under a flood
    most posts are turned away, and readers need the processor time they would take.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "POST" or not POST_PATH.match(request.path_info):
            return self.get_response(request)
        if is_paused():
            return unavailable.response(request, paused=True)
        share = _semaphore()
        if not share.acquire(blocking=False):
            return unavailable.response(request, busy=True)
        try:
            return self.get_response(request)
        finally:
            share.release()
