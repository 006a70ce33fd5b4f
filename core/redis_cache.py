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


# Raise a number kept as "<number> <rest>" to ARGV[1] ("<number> <rest>" from ARGV[2]), in
# one step: two processes raising it at once can never leave the lower of their numbers.
RAISE_SCRIPT = """
local kept = redis.call('GET', KEYS[1])
if kept then
  local number = tonumber(string.match(kept, '^(%d+)'))
  if number and number >= tonumber(ARGV[1]) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
return 1
"""


class BackingOffClient(RedisCacheClient):
    def __init__(self, servers, **options):
        super().__init__(servers, **options)
        self.servers = tuple(servers)

    def raise_to(self, key, number, text, timeout):
        client = self.get_client(key, write=True)
        return bool(client.eval(RAISE_SCRIPT, 1, key, number, f"{number} {text}", timeout))

    def read_raised(self, key):
        kept = self.get_client(key).get(key)
        if kept is None:
            return None
        number, _, text = kept.decode().partition(" ")
        return int(number), text


for _name in (*CALLS, "raise_to", "read_raised"):
    setattr(BackingOffClient, _name, _backing_off(getattr(BackingOffClient, _name)))


class BackingOffRedisCache(RedisCache):
    """settings.CACHES' BACKEND when REDIS_URL is set."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = BackingOffClient

    def raise_to(self, key, number, text="", timeout=None):
        """Keep `number` (with `text`) under `key` unless a number as high is kept there
        already, atomically; True if it was kept. pagecache/newest.py's shared version."""
        key = self.make_and_validate_key(key)
        return self._cache.raise_to(key, int(number), text, self.get_backend_timeout(timeout))

    def read_raised(self, key):
        """(number, text) kept by raise_to under `key`, or None."""
        return self._cache.read_raised(self.make_and_validate_key(key))
