"""How many requests of one process may post comments at once: a share of its threads;
and, once the site-wide ceiling has been reached, a short pause for new comments.

A flood of comment posts must never take every thread a process has, or readers wait
behind it. The server runs WEB_THREADS requests at once in each process (granian's
blocking threads; GUNICORN_THREADS for gunicorn); posting may use COMMENTS_POSTING_THREADS
of them (by default all but one, so at least two threads are needed). A post that finds
its share busy is answered at once with a short "busy" page that needs no database: a 503 with
Retry-After, and the reader's text shown back to copy (their browser's draft keeps it too).

Past COMMENTS_MAX_PER_MINUTE (comments/screening.py) the process also stops asking the
database for PAUSE_SECONDS: a flood's posts are turned away here, as cheaply as can be.

Behind a front cache every thread may post (alsblog/settings.py), so a post that finds them
all busy waits in the server's queue instead. A post that arrived over MAX_WAIT_SECONDS ago,
taken while another post of this process is under way, is answered "busy" as soon as a
thread takes it, at the cost of that short page: the reader is told to send it again,
rather than left waiting on a queue that only grows. When the post arrived is told by
X-Request-Start ("t=" and the time in seconds, as deploy/varnish/alsblog.vcl and nginx's
`t=${msec}` write it), from any proxy that sets it; a client's own can only turn away its
own post. A clock out of step with the front cache's cannot turn away a post sent alone,
only posts that overlap another of the same process; each process logs a warning, at most
once a minute, when it turns posts away for their wait (docs/operators.md, "Comment posts
waiting behind a front cache").
"""

import logging
import re
import threading
import time
from http import HTTPStatus
from urllib.parse import parse_qs

from django.conf import settings

from core import unavailable

logger = logging.getLogger(__name__)

# The address comments are posted to (comments/urls.py: "comments:post").
POST_PATH = re.compile(r"^/articles/[^/]+/comments/$")
PAUSE_SECONDS = 10
MAX_WAIT_SECONDS = 3
# Longer ago than this by this server's clock, X-Request-Start is not believed.
_BELIEVED_SECONDS = 60
_REQUEST_START = re.compile(r"t=(\d{9,11}(?:\.\d{1,6})?)")
_lock = threading.Lock()
_paused_until = [0.0]
_posting = [0]  # this process's posts under way
_warned_at = [-60.0]
_share = {}  # {share size: its semaphore}, so that a changed setting takes effect


def pause():
    """New comments are paused: turn them away here for the next PAUSE_SECONDS."""
    _paused_until[0] = time.monotonic() + PAUSE_SECONDS


def is_paused():
    return time.monotonic() < _paused_until[0]


def waited(environ):
    """Seconds since the front cache received this request (X-Request-Start), or None."""
    found = _REQUEST_START.fullmatch(environ.get("HTTP_X_REQUEST_START", "").strip())
    if not found:
        return None
    seconds = time.time() - float(found[1])
    return seconds if seconds < _BELIEVED_SECONDS else None


def _semaphore():
    size = max(1, settings.COMMENTS_POSTING_THREADS)
    with _lock:
        return _share.setdefault(size, threading.BoundedSemaphore(size))


class PostingShare:
    """WSGI middleware: comment posts run only within this process's share of threads.

    It wraps the whole Django application (alsblog/wsgi.py), so that a post turned away
    costs next to nothing: no request object, no middleware, a page rendered once per
    process. Under a flood most posts are turned away, and readers need the processor time
    they would take.
    """

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        posting = environ.get("REQUEST_METHOD") == "POST" and POST_PATH.match(
            environ.get("PATH_INFO", "")
        )
        if not posting:
            return self.application(environ, start_response)
        if is_paused():
            return _turn_away("paused", environ, start_response)
        share = _semaphore()
        if not share.acquire(blocking=False):
            return _turn_away("busy", environ, start_response)
        with _lock:
            others = _posting[0]
            _posting[0] += 1
        try:
            if others and _waited_too_long(environ):
                return _turn_away("busy", environ, start_response)
            return self.application(environ, start_response)
        finally:
            with _lock:
                _posting[0] -= 1
            share.release()


def _waited_too_long(environ):
    seconds = waited(environ)
    if seconds is None or seconds <= MAX_WAIT_SECONDS:
        return False
    now = time.monotonic()
    with _lock:
        warn = now - _warned_at[0] >= 60
        if warn:
            _warned_at[0] = now
    if warn:
        logger.warning(
            "A comment post waited %.1f s for a thread and was told to send it again. Under "
            "a flood of posts this is expected; otherwise check that this server's clock "
            "agrees with the front cache's (X-Request-Start).",
            seconds,
        )
    return True


MAX_BODY = 64 * 1024  # a comment is at most 5,000 characters


def _turn_away(kind, environ, start_response):
    """The short page of `kind`, with the comment's text shown back to copy."""
    try:
        length = min(int(environ.get("CONTENT_LENGTH") or 0), MAX_BODY)
        form = parse_qs(environ["wsgi.input"].read(length).decode(), keep_blank_values=True)
        text = form.get("body", [""])[0]
    except (ValueError, UnicodeDecodeError, OSError):
        text = ""
    host = environ.get("HTTP_HOST", "")
    again = unavailable.retry_path(environ.get("HTTP_REFERER", ""), host)
    status, headers, body = unavailable.page(kind, text=text, retry_path=again)
    start_response(
        f"{status} {HTTPStatus(status).phrase}", [*headers, ("Content-Length", str(len(body)))]
    )
    return [body]
