"""The staff-edited lists every new comment is screened against: read from the cache, and
changed only through here (the blocklist and the flag categories).

Reading both lists would cost two queries for every comment posted, so they are kept in the
cache for RULES_SECONDS and dropped whenever staff change either list, by the verbs below.
With Redis the cache is shared and a change applies to the next comment; with the
local-memory cache each process keeps its own copy, so another process may use the old list
for up to RULES_SECONDS.
"""

from django.db import transaction

from comments.models import BlockedWord, FlagCategory
from core import caching

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
    rules = caching.peek(RULES_KEY)
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
    caching.forget(RULES_KEY)


def _rules():
    return caching.read_through(RULES_KEY, _read, RULES_SECONDS)


def _read():
    return {
        "categories": list(FlagCategory.objects.filter(is_active=True)),
        "blocked": list(BlockedWord.objects.values_list("phrase", flat=True)),
    }
