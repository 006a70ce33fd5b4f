"""The staff-edited lists every new comment is screened against: read from the cache, and
changed only through here (the blocklist and the flag categories).

Reading both lists would cost two queries for every comment posted, so they are kept in the
cache for RULES_SECONDS and dropped whenever staff change either list, by the verbs below.
With Redis the cache is shared and a change applies to the next comment; with the
local-memory cache each process keeps its own copy, so another process may use the old list
for up to RULES_SECONDS.
"""

import logging

from django.core.cache import cache
from django.db import transaction

from comments.models import BlockedWord, FlagCategory

log = logging.getLogger(__name__)

RULES_KEY = "comments:screening-rules:1"
RULES_SECONDS = 60


def flag_categories():
    """The FlagCategory rows in use."""
    return _rules()["categories"]


def blocked_phrases():
    """The blocklist's phrases, lowercased."""
    return _rules()["blocked"]


def cached_flag_categories():
    """The FlagCategory rows in use as the cache holds them, or None: asks no database."""
    try:
        rules = cache.get(RULES_KEY)
    except Exception:
        return None
    return None if rules is None else rules["categories"]


def save(item):
    """Store a BlockedWord or a FlagCategory; the next comment is screened with it."""
    with transaction.atomic():
        item.save()
        forget()
    return item


def delete(items):
    """Delete BlockedWord or FlagCategory rows (a queryset); the next comment goes without."""
    with transaction.atomic():
        deleted = items.delete()
        forget()
    return deleted


def forget():
    """Drop the cached lists, now and once the change is committed."""
    _drop()
    transaction.on_commit(_drop)


def _drop():
    try:
        cache.delete(RULES_KEY)
    except Exception:  # a cache that is down keeps nothing to drop
        log.warning("Could not drop the cached comment rules", exc_info=True)


def _rules():
    try:
        rules = cache.get(RULES_KEY)
    except Exception:
        log.warning("Comment rules cache unavailable for reading", exc_info=True)
        rules = None
    if rules is None:
        rules = _read()
        try:
            cache.set(RULES_KEY, rules, RULES_SECONDS)
        except Exception:
            log.warning("Comment rules cache unavailable for writing", exc_info=True)
    return rules


def _read():
    return {
        "categories": list(FlagCategory.objects.filter(is_active=True)),
        "blocked": list(BlockedWord.objects.values_list("phrase", flat=True)),
    }
