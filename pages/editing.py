"""Every change to the site details and the site's pages goes through here.

The twin of articles/publishing.py: each change marks cached pages stale in its own
transaction (every page's footer shows the details and links the pages). The footer itself
is cached under the public version, so a change moves every process and server to a new key
at once: there is no copy of the old footer for anyone to forget.
"""

from django.db import transaction

from articles.sanitize import sanitize_body
from core import caching
from pagecache import newest
from pagecache.versions import bump
from pages.models import Page, SiteDetails

FOOTER_SECONDS = 24 * 60 * 60


def save_details(details):
    """Store the site's details; every page shows them from now on."""
    with transaction.atomic():
        details.full_clean()
        details.save()
        bump()
    return details


def save_page(page):
    """Store `page`, its body cleaned as an article body is."""
    with transaction.atomic():
        page.body = sanitize_body(page.body)
        page.save()
        bump()
    return page


def delete_pages(pages):
    """Delete `pages` (a queryset); their addresses answer "not found" from now on."""
    with transaction.atomic():
        count, _ = Page.objects.filter(pk__in=list(pages.values_list("pk", flat=True))).delete()
        bump()
    return count


def footer(version):
    """What every page's footer shows under public `version`: the site details and links to
    the published pages.

    Read from the cache, else from the database (two queries) and kept for the next pages.
    """
    return caching.read_through(_key(version), _read_footer, FOOTER_SECONDS)


def _key(version):
    return f"pages:footer:{version}"


def _read_footer():
    return {
        "details": SiteDetails.load(),
        "links": [(page.title, page.get_absolute_url()) for page in Page.objects.in_footer()],
    }


def cached_footer():
    """The footer as the cache holds it for the newest public version any process has seen,
    or None: asks no database (the pages that answer while the database is away)."""
    known = newest.known()
    return caching.peek(_key(known["version"])) if known else None
