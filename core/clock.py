"""The database's clock, which every app server shares.

What goes public at a set time (a scheduled article) is compared with the database's time,
not each server's own: a server whose clock is a little behind would otherwise render the
home page without an article the others already show, and keep that page under the new
version. Keep the servers' clocks in sync all the same (docs/operators.md).

`OFFSET` moves the site's idea of the time on, for tests that travel in time (the `clock`
fixture); it is always zero otherwise.
"""

from datetime import timedelta

from django.db.models import Value
from django.db.models.functions import Now

OFFSET = timedelta()


def database_now():
    """The database's current time, as an expression for a query."""
    if not OFFSET:
        return Now()
    return Now() + Value(OFFSET)


def as_site_sees(database_time):
    """`database_time`, read from the database, moved by OFFSET."""
    return database_time + OFFSET
