"""Every change to the site details and the site's pages goes through here.

The twin of articles/publishing.py: each change marks cached pages stale in its own
transaction (every page's footer shows the details and links the pages), and forgets the
footer's own cached copy once the change is committed.
"""

import logging

from django.core.cache import cache
from django.db import transaction

from articles.sanitize import sanitize_body
from pagecache.versions import bump
from pages.models import Page, SiteDetails

logger = logging.getLogger("alsblog.pages")

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
    try:
        kept = cache.get(FOOTER_KEY)
    except Exception:  # a cache that is down costs two queries, never a page
        logger.warning("Footer cache unavailable for reading", exc_info=True)
        kept = None
    if kept is not None:
        return kept
    kept = {
        "details": SiteDetails.load(),
        "links": [(page.title, page.get_absolute_url()) for page in Page.objects.in_footer()],
    }
    try:
        cache.set(FOOTER_KEY, kept, FOOTER_SECONDS)
    except Exception:
        logger.warning("Footer cache unavailable for writing", exc_info=True)
    return kept


def cached_footer():
    """The footer as the cache holds it, or None: asks no database (the pages that answer
    while the database is away)."""
    try:
        return cache.get(FOOTER_KEY)
    except Exception:
        return None


def _forget_footer():
    def forget():
        try:
            cache.delete(FOOTER_KEY)
        except Exception:
            logger.warning(
                "Footer cache unavailable: the old footer stays for a day", exc_info=True
            )

    # Now, and again once committed, so that a page rendered in between cannot keep the old.
    forget()
    transaction.on_commit(forget)
