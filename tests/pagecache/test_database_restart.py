"""A real PostgreSQL restart under load: readers of cached pages get no error at all.

The test starts a PostgreSQL server of its own (initdb and pg_ctl, in a temporary folder,
on a free port: the shared server on 5432 is never touched), runs the production server
(granian) against it with production settings, and stops and starts that database while 16
readers load the article page. Every cached page must be answered (from the copy kept for
outages); a page that needs the database must answer the "back in a minute" 503, never a
500.
"""

import pytest

from tests.pgserver import BINARIES, own_postgres, restart_under_load

pytestmark = pytest.mark.skipif(
    not BINARIES, reason="PostgreSQL's server programs (initdb, pg_ctl) are not installed"
)


def test_readers_of_cached_pages_get_no_error_through_a_database_restart():
    with own_postgres() as (database_url, pg_ctl, options):
        answers = restart_under_load(database_url, pg_ctl, options)
    readers, searches, after = answers
    statuses = [status for status, _ in readers]
    assert len(statuses) > 100
    assert set(statuses) == {200}, {s: statuses.count(s) for s in set(statuses)}
    assert (200, "stale") in readers  # the copy kept for outages was used
    search_statuses = {status for status, _ in searches}
    assert 503 in search_statuses and search_statuses <= {200, 503}, search_statuses
    assert after == (200, "hit")  # back to normal by itself
