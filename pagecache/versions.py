"""The public version: one number that every change the public could see makes grow.

Every public page is a function of what is public. One row, `PublicVersion`, counts changes
to any of it; each change calls `bump()` in the same transaction that makes the change, so a
page cached under a version is exact across processes and servers, whatever the cache
backend. Something that goes public by itself at a set time (a scheduled article) has no
event to bump it: the row also holds the time of the next such change, and the first request
after that moment bumps the version.
"""

from datetime import UTC

from django.db import connection, transaction
from django.utils import timezone

from core import clock
from pagecache import newest, purging
from pagecache.models import PublicVersion

TABLE = PublicVersion._meta.db_table
_next_change_sources = []


def register_next_change(source):
    """Hook: `source()` says when something next goes public by itself, or None.

    Register it once, in an AppConfig.ready(); every bump records the earliest time any
    source gives, and the first request after that time bumps the version again. That bump
    purges no front cache: the app queues the purge of what goes public for its time
    (`pagecache.purging.queue(keys, at=...)`, as articles/publishing.py does).
    """
    if source not in _next_change_sources:
        _next_change_sources.append(source)


def next_change():
    """The earliest time a registered source says something goes public by itself, or None."""
    times = [when for when in (source() for source in _next_change_sources) if when]
    return min(times, default=None)


def bump(keys=None, *, purge=True):
    """Record that something the public sees has changed; cached pages of before are stale.

    The new version is also at least the time in milliseconds, so versions only ever grow:
    even after a database restore brings back an old row, the next bump lands beyond every
    version used before, and no page cached under it can come back. A front cache is purged
    of the pages that answer to `keys` (pagecache/keys.py), or of every page when None;
    not at all with `purge=False`.
    """
    if purge:
        purging.queue(keys)
    now = timezone.now()
    clock = int(now.timestamp() * 1000)
    upcoming = next_change()
    ops = connection.ops
    greatest = "GREATEST" if connection.vendor == "postgresql" else "MAX"
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {TABLE} SET version = {greatest}(version + 1, %s), changed_at = %s, "
            "next_change = %s WHERE id = 1 RETURNING version",
            [clock, ops.adapt_datetimefield_value(now), ops.adapt_datetimefield_value(upcoming)],
        )
        row = cursor.fetchone()
    if row is not None:
        version = row[0]
    else:
        version = PublicVersion.objects.get_or_create(
            pk=1, defaults={"version": clock, "next_change": upcoming}
        )[0].version
    # Every process may need to know it while the database is away (pagecache/newest.py).
    transaction.on_commit(lambda: newest.note(version))


class State:
    """The public version as one request reads it."""

    __slots__ = ("version", "changed_at", "next_change", "due")

    def __init__(self, version, changed_at, next_change, database_now):
        self.version = version
        self.changed_at = _aware(changed_at)
        self.next_change = _aware(next_change)
        # Whether the next change's time has come, by the database's clock (core/clock.py):
        # every app server agrees on it, whatever its own clock says.
        self.due = self.next_change is not None and self.next_change <= clock.as_site_sees(
            _aware(database_now)
        )


def _aware(value):
    if value is None or timezone.is_aware(value):
        return value
    return timezone.make_aware(value, UTC)


# Plain SQL: this runs on every cached page, where the ORM's own work would be most of the
# cost. The time is the database's, as in Article.objects.published() (Django's Now()).
DATABASE_NOW = (
    "STATEMENT_TIMESTAMP()"
    if connection.vendor == "postgresql"
    else "STRFTIME('%Y-%m-%d %H:%M:%f', 'now') AS \"now [datetime]\""
)
STATE_SQL = f"SELECT version, changed_at, next_change, {DATABASE_NOW} FROM {TABLE} WHERE id = 1"


def _read():
    with connection.cursor() as cursor:
        cursor.execute(STATE_SQL)
        row = cursor.fetchone()
    return State(*row) if row else None


def current():
    """Return the public version, rolling it on if a scheduled change has just gone public."""
    state = _read()
    if state is None or state.due:
        with transaction.atomic():
            # A time come (register_next_change) purges nothing here: the app that set it
            # queued the purge of exactly the pages it touches for that moment.
            bump(purge=state is None)
        state = _read()
    return state
