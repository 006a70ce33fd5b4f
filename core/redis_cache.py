"""Django's Redis cache, with a backoff: a Redis that hangs costs one short wait, not every call.

Each call to a Redis that is down or frozen fails after the socket timeout (0.25 s in
settings.py). A page makes several cache calls, so a frozen Redis would cost every page a
second or more. After one call fails, this process does not ask Redis again for
RETRY_SECONDS: every call in between fails at once, with the same error, and what the cache
keeps is computed again instead (the callers treat a failing cache as an empty one). Then
one call tries again; when Redis answers, everything goes on as before.
"""

import logging
import time
from functools import wraps

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger("alsblog.cache")

RETRY_SECONDS = 5
CALLS = (
    "add", "get", "set", "touch", "delete", "get_many", "has_key", "incr", "set_many",
    "delete_many", "clear",
)  # fmt: skip

# Until when (time.monotonic()) each Redis is left alone, by its addresses.
_away_until = {}


def _backing_off(call):
    @wraps(call)
    def guarded(self, *args, **kwargs):
        errors = self._lib.exceptions
        if time.monotonic() < _away_until.get(self.servers, 0.0):
            raise errors.ConnectionError("Redis failed a moment ago: not asked again yet")
        try:
            answer = call(self, *args, **kwargs)
        except (errors.ConnectionError, errors.TimeoutError):
            if self.servers not in _away_until:
                logger.warning(
                    "Redis did not answer: pages go on without it; retrying every %d s",
                    RETRY_SECONDS,
                )
            _away_until[self.servers] = time.monotonic() + RETRY_SECONDS
            raise
        if _away_until.pop(self.servers, None) is not None:
            logger.warning("Redis answers again")
        return answer

    return guarded


class BackingOffClient(RedisCacheClient):
    def __init__(self, servers, **options):
        super().__init__(servers, **options)
        self.servers = tuple(servers)


for _name in CALLS:
    setattr(BackingOffClient, _name, _backing_off(getattr(RedisCacheClient, _name)))


class BackingOffRedisCache(RedisCache):
    """settings.CACHES' BACKEND when REDIS_URL is set."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = BackingOffClient
