"""The newest public version any process of the site has seen, for when the database is away.

While the database answers, each request reads the public version (pagecache/versions.py).
While it is away, a process can only go by what it knows, and a process that was idle when an
article was withdrawn, or that started during the outage, knows an older version or none: it
must not serve a page of before the change. So every version a process reads or makes is
noted where the others look too:

- the cache (Redis: every process of every app server), raised atomically, so that two
  processes noting at once never leave the older of their versions;
- a small file in the machine's temporary folder, named after the database (every process on
  this machine, with or without Redis; not for a database in memory, which is one
  process's own).

A process notes a version only when it is newer than the last one it noted (or the cache
missed it, being away), so a request costs nothing here but a comparison. `known()` is the
newest of the three, and a page kept for an outage is served only if it was stored under
exactly that version.
"""

import hashlib
import logging
import os
import tempfile
import time
from pathlib import Path

from django.core.cache import cache
from django.db import connection

logger = logging.getLogger("alsblog.pagecache")

CACHE_KEY = "pagecache:newest-version"
# Long enough to outlast any outage the copies themselves outlast (PAGE_CACHE_STALE_SECONDS).
KEPT_SECONDS = 7 * 24 * 60 * 60

_noted = {"version": None, "at": 0.0}
# The newest version this process has put in the cache, and whether the last try failed: a
# version noted while Redis was away is put there as soon as it answers again.
_in_cache = {"version": None, "failing": False}


def note(version):
    """Record that `version` is public now (no-op when this process noted it or a newer one,
    and the cache has it)."""
    if _noted["version"] is None or version > _noted["version"]:
        _noted.update(version=version, at=time.time())
        _write_file({"version": version, "at": _noted["at"]})
    if _in_cache["version"] is not None and _noted["version"] <= _in_cache["version"]:
        return
    version, at = _noted["version"], _noted["at"]
    try:
        if hasattr(cache, "raise_to"):  # Redis: compared and kept in one step
            cache.raise_to(CACHE_KEY, version, repr(at), KEPT_SECONDS)
        else:  # this process's own memory: no other process writes it
            shared = cache.get(CACHE_KEY)
            if shared is None or shared["version"] < version:
                cache.set(CACHE_KEY, {"version": version, "at": at}, KEPT_SECONDS)
    except Exception:
        if not _in_cache["failing"]:  # once, not on every page while Redis is away
            logger.warning("The cache could not keep the newest public version", exc_info=True)
        _in_cache["failing"] = True
        return
    _in_cache.update(version=version, failing=False)


def known():
    """The newest version noted by any process, with when it was noted: `{"version", "at"}`,
    or None when none is known."""
    records = [_noted if _noted["version"] is not None else None, _read_file()]
    try:
        records.append(_read_cache())
    except Exception:
        logger.warning("The cache could not say the newest public version", exc_info=True)
    records = [record for record in records if record]
    return max(records, key=lambda record: record["version"], default=None)


def _read_cache():
    if not hasattr(cache, "read_raised"):
        return cache.get(CACHE_KEY)
    kept = cache.read_raised(CACHE_KEY)
    return None if kept is None else {"version": kept[0], "at": float(kept[1])}


def forget_here():
    """Forget what this process noted, as a process that starts afresh knows nothing."""
    _noted.update(version=None, at=0.0)
    _in_cache.update(version=None, failing=False)


def forget_everywhere():
    """Forget every note: after the database was emptied or replaced (tests, a restore)."""
    forget_here()
    try:
        cache.delete(CACHE_KEY)
    except Exception:
        logger.warning("The cache could not forget the newest public version", exc_info=True)
    path = _path()
    if path is not None:
        path.unlink(missing_ok=True)


def _path():
    """The file for this database, or None for a database in memory, which no other process
    shares."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        return None
    database = connection.settings_dict
    name = f"{database['ENGINE']}|{database.get('HOST')}|{database.get('PORT')}|{database['NAME']}"
    digest = hashlib.sha256(name.encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"alsblog-newest-version-{digest}"


def _write_file(record):
    path = _path()
    if path is None:
        return
    current = _read_file()
    if current is not None and current["version"] >= record["version"]:
        return
    try:
        temporary = path.with_name(f"{path.name}.{os.getpid()}")
        temporary.write_text(f"{record['version']} {record['at']}")
        os.replace(temporary, path)
    except OSError:
        logger.warning("Could not write the newest public version to %s", path, exc_info=True)


def _read_file():
    path = _path()
    if path is None:
        return None
    try:
        version, at = path.read_text().split()
        return {"version": int(version), "at": float(at)}
    except (OSError, ValueError):
        return None
