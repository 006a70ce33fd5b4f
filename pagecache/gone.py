"""Addresses whose page was taken down, so that an outage answers them "not found".

While the database is away, a page is served only as the public last saw it
(pagecache/serving.py, `stale_copy`); the copy of a page taken down since (an article back to
draft, or deleted) is never served. Without more, its address would answer "back in a
minute", as if it might come back. An app that takes a page down says so here, and its
address answers 404 through the outage, as it did before; one that puts it back says so too.

Kept in the cache, where the copies kept for outages are, for as long as they are
(PAGE_CACHE_STALE_SECONDS), keyed by the address's path: an address's other pages
(?page=2) go with it. Only what staff take down or delete is noted, so visitors asking for
addresses that never existed add nothing here. While the cache is away, or a process cannot
know the newest public version, such an address answers "back in a minute" instead: never
the page.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger("alsblog.pagecache")


def _key(path):
    return f"page-gone:{hashlib.sha256(path.encode()).hexdigest()}"


def taken_down(paths):
    """Once the change commits, the pages at `paths` are gone."""
    paths = list(paths)
    if paths:
        transaction.on_commit(lambda: _note(paths))


def put_back(paths):
    """Once the change commits, the pages at `paths` are public again."""
    paths = list(paths)
    if paths:
        transaction.on_commit(lambda: _forget(paths))


def is_gone(path):
    """Was the page at `path` taken down (and not put back since)? False when unsure: the
    cache is away."""
    try:
        return bool(cache.get(_key(path)))
    except Exception:
        logger.warning("Page cache unavailable for reading", exc_info=True)
        return False


def _note(paths):
    try:
        cache.set_many({_key(path): True for path in paths}, settings.PAGE_CACHE_STALE_SECONDS)
    except Exception:  # an outage then answers "back in a minute" there: never the page
        logger.warning("Page cache unavailable: a page taken down was not noted", exc_info=True)


def _forget(paths):
    try:
        cache.delete_many([_key(path) for path in paths])
    except Exception:
        logger.warning("Page cache unavailable: a page put back was not noted", exc_info=True)
