"""Comment posts on SQLite take turns to check and store, each as soon as the last is done.

SQLite lets one transaction write at a time (IMMEDIATE, settings.py). A post that finds the
database busy sleeps on SQLite's busy handler, longer at each try (1, 2, 5, 10 ms and on), so
in a flood the database stood idle while posts slept: fewer were stored, and the slowest
waited up to a second. Posts take turns instead: in a process with a lock, and across the
processes of the machine with a lock on a file beside the database, looked at every
millisecond at most. The database's own timeout bounds the wait for a turn; a post whose
turn has not come by then goes on without it, to SQLite's own wait, which still keeps every
comment whole. PostgreSQL lets posts from different readers store at once: no turns there.
"""

import logging
import os
import threading
import time
from contextlib import contextmanager

from django.db import connection

try:
    import fcntl
except ImportError:  # not on Windows: the turn is each process's alone there
    fcntl = None

logger = logging.getLogger(__name__)

POLL_SECONDS = 0.001  # the longest a post sleeps before it looks at its turn again
WARN_EVERY_SECONDS = 60

_in_process = threading.Lock()
_files = {}  # by path: this process's open lock files (a lock held is the open file's)
_warned_at = [-float(WARN_EVERY_SECONDS)]
_warned_lock = threading.Lock()


def _forget_after_fork():
    """A child process opens lock files of its own: a lock on the parent's would be shared."""
    global _in_process
    _in_process = threading.Lock()
    _files.clear()


os.register_at_fork(after_in_child=_forget_after_fork)


def taken():
    """Do posts take turns on this database (SQLite)?"""
    return connection.vendor == "sqlite"


@contextmanager
def posts_in_turn():
    """Hold this post's turn to check and store, on SQLite; on PostgreSQL, go at once."""
    if not taken():
        yield
        return
    deadline = time.monotonic() + connection.settings_dict["OPTIONS"].get("timeout", 5)
    if not _in_process.acquire(timeout=max(deadline - time.monotonic(), 0)):
        _warn("another post of this process")
        yield
        return
    try:
        turn = _file()
        if turn is None:
            yield
            return
        if not _take(turn, deadline):
            _warn("a post of another process")
            yield
            return
        try:
            yield
        finally:
            fcntl.flock(turn, fcntl.LOCK_UN)
    finally:
        _in_process.release()


def lock_path():
    """The file whose lock gives posts their turn across processes, or None for a database
    in memory (one process's alone: the tests')."""
    if connection.is_in_memory_db():
        return None
    return f"{os.path.abspath(connection.settings_dict['NAME'])}-posts.lock"


def _file():
    """This process's open lock file (a descriptor), or None when turns are this process's
    alone: a database in memory, no fcntl, or a file that cannot be made (logged once)."""
    path = lock_path()
    if path is None or fcntl is None:
        return None
    if path not in _files:
        try:
            # Read-only is enough for a lock, and lets a file made by another user serve.
            _files[path] = os.open(path, os.O_RDONLY | os.O_CREAT, 0o666)
        except OSError as error:
            logger.warning(
                "Comment posts cannot take turns across processes (%s); each process's take "
                "turns, and SQLite's own wait does the rest.",
                error,
            )
            _files[path] = None
    return _files[path]


def _take(turn, deadline):
    """Lock `turn`; return False when the deadline came first."""
    pause = POLL_SECONDS / 8
    while True:
        try:
            fcntl.flock(turn, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(pause)
            pause = min(pause * 2, POLL_SECONDS)


def _warn(holder):
    now = time.monotonic()
    with _warned_lock:
        if now - _warned_at[0] < WARN_EVERY_SECONDS:
            return
        _warned_at[0] = now
    logger.warning(
        "A comment post waited the database's timeout for its turn, held by %s; it went on "
        "without it. A post that takes this long is stuck: look for a long transaction.",
        holder,
    )
