"""Values kept in the cache that the site can always do without: a cache that is down or
slow costs the work of computing them again, never a page."""

import logging

from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)


def read_through(key, compute, seconds):
    """The value the cache holds under `key`, or else `compute()`, kept there for `seconds`."""
    value = peek(key)
    if value is not None:
        return value
    value = compute()
    try:
        cache.set(key, value, seconds)
    except Exception:
        logger.warning("The cache could not keep %s", key, exc_info=True)
    return value


def peek(key):
    """The value the cache holds under `key`, or None: never computed, never an error."""
    try:
        return cache.get(key)
    except Exception:
        logger.warning("The cache could not be read for %s", key, exc_info=True)
        return None


def forget(key):
    """Drop `key` now, and again once the transaction commits: a page rendered in between,
    from what was there before, cannot keep the old value."""

    def drop():
        try:
            cache.delete(key)
        except Exception:  # a cache that is down keeps nothing to drop
            logger.warning("The cache could not drop %s", key, exc_info=True)

    drop()
    transaction.on_commit(drop)
