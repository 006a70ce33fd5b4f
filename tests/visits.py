"""What a test learns from visiting a page: how many queries it cost, and who answered it."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from pagecache.serving import STATUS_HEADER


def counting_queries():
    """`with counting_queries() as queries:` … `len(queries)`: the SQL queries run inside."""
    return CaptureQueriesContext(connection)


def get_counting_queries(client, url, **extra):
    """GET `url` with `client`; return the response and how many SQL queries it ran."""
    with counting_queries() as captured:
        response = client.get(url, **extra)
    return response, len(captured)


def served_from_cache(response):
    """True when the page cache answered with a stored page, without running the view."""
    return response.get(STATUS_HEADER) == "hit"


def rendered_fresh(response):
    """True when the view rendered the page for this request (and it may now be stored)."""
    return response.get(STATUS_HEADER) in ("miss", "bypass")


def stored_for_everyone(response):
    """True when the view rendered the page and the cache kept it for the next visitors."""
    return response.get(STATUS_HEADER) == "miss"


def without_tokens(content):
    """A page's bytes with each visitor's own CSRF token taken out (every page has a form)."""
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)
