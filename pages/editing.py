"""Every change to the site details and the site's pages goes through here.

The twin of articles/publishing.py: each change marks cached pages stale in its own
transaction (every page's footer shows the details and links the pages), and forgets the
footer's own cached copy once the change is committed.
"""

from django.db import transaction

from articles.sanitize import sanitize_body
from core import caching
from pagecache.versions import bump
from pages.models import Page, SiteDetails

FOOTER_KEY = "pages:footer:1"
FOOTER_SECONDS = 24 * 60 * 60


def save_details(details):
    """Store the site's details; every page shows them from now on."""
    with transaction.atomic():
        details.full_clean()
        details.save()
        bump()
        _forget_footer()
    return details


def save_page(page):
    """Store `page`, its body cleaned as an article body is."""
    with transaction.atomic():
        page.body = sanitize_body(page.body)
        page.save()
        bump()
        _forget_footer()
    return page


def delete_pages(pages):
    """Delete `pages` (a queryset); their addresses answer "not found" from now on."""
    with transaction.atomic():
        count, _ = Page.objects.filter(pk__in=list(pages.values_list("pk", flat=True))).delete()
        bump()
        _forget_footer()
    return count


def footer():
    """What every page's footer shows: the site details and links to the published pages.

    Read from the cache, else from the database (two queries) and kept for the next pages.
    """
    return caching.read_through(FOOTER_KEY, _read_footer, FOOTER_SECONDS)


def _read_footer():
    return {
        "details": SiteDetails.load(),
        "links": [(page.title, page.get_absolute_url()) for page in Page.objects.in_footer()],
    }


def cached_footer():
    """The footer as the cache holds it, or None: asks no database (the pages that answer
    while the database is away)."""
    return caching.peek(FOOTER_KEY)


def _forget_footer():
    caching.forget(FOOTER_KEY)
