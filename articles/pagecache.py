"""Whole-page caching for public pages that never shows stale or unapproved content.

Every public page is a function of what is public: published articles, approved comments,
categories, tags, images. One database row, `PublicVersion`, counts changes to any of them;
each change bumps it in the same transaction that makes the change, so a cached page is
keyed by a version that is exact across processes and servers, whatever the cache backend.
A scheduled article has no event when it goes public, so the row also holds the time of the
next scheduled publication, and the first request after it bumps the version.

Served from the cache: GET requests from visitors who are not logged in, carry no flash
message and have not commented during their visit (they see their pending comment in place,
so their pages are rendered for them alone). The comment form's CSRF token is a placeholder
in the cached HTML, replaced for each request.
"""

import hashlib
import logging
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Min
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

logger = logging.getLogger("alsblog.pagecache")

CSRF_PLACEHOLDER = "csrf-token-placeholder-e3b0c442"
CACHED_QUERY_PARAMETERS = {"page"}
VISITOR_SESSION_KEYS = ("comments.mine", "comments.commenter")


def next_scheduled_publication():
    from articles.models import Article

    upcoming = Article.objects.filter(
        status=Article.Status.PUBLISHED, publish_at__gt=timezone.now()
    )
    return upcoming.aggregate(first=Min("publish_at"))["first"]


def bump():
    """Record that something the public sees has changed; cached pages of before are stale."""
    from articles.models import PublicVersion

    updated = PublicVersion.objects.filter(pk=1).update(
        version=F("version") + 1,
        changed_at=timezone.now(),
        next_change=next_scheduled_publication(),
    )
    if not updated:
        PublicVersion.objects.get_or_create(
            pk=1, defaults={"next_change": next_scheduled_publication()}
        )


def current():
    """Return the PublicVersion, rolling it on if a scheduled article has just gone public."""
    from articles.models import PublicVersion

    state = PublicVersion.objects.filter(pk=1).first()
    if state is None or (state.next_change and state.next_change <= timezone.now()):
        with transaction.atomic():
            bump()
        state = PublicVersion.objects.get(pk=1)
    return state


def csrf_placeholder(request):
    """A context processor: while a page is rendered for the cache, the token is a marker."""
    return {"csrf_token": CSRF_PLACEHOLDER} if getattr(request, "_for_page_cache", False) else {}


def is_cacheable(request):
    if not settings.PAGE_CACHE or request.method not in ("GET", "HEAD"):
        return False
    if set(request.GET) - CACHED_QUERY_PARAMETERS:
        return False
    if request.user.is_authenticated:
        return False
    session = request.session
    if session.session_key and any(key in session for key in VISITOR_SESSION_KEYS):
        return False
    messages = getattr(request, "_messages", None)
    return not (messages is not None and len(messages))


def _cache_get(key):
    try:
        return cache.get(key)
    except Exception:  # a cache that is down must cost speed, never a page
        logger.warning("Page cache unavailable for reading", exc_info=True)
        return None


def _cache_set(key, value):
    try:
        cache.set(key, value, settings.PAGE_CACHE_SECONDS)
    except Exception:
        logger.warning("Page cache unavailable for writing", exc_info=True)


def cached_page(view):
    """Serve `view`'s page from the cache when the visitor gets the same page as everyone."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_cacheable(request):
            return view(request, *args, **kwargs)
        state = current()
        address = f"{request.get_host()}{request.get_full_path()}"
        key = f"page:{state.version}:{hashlib.sha256(address.encode()).hexdigest()}"
        entry = _cache_get(key)
        if entry is None:
            request._for_page_cache = True
            response = view(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
            request._for_page_cache = False
            if response.status_code != 200 or response.cookies:
                return _with_token(request, response)
            digest = hashlib.sha256(response.content).hexdigest()[:16]
            entry = {
                "content": response.content,
                "content_type": response["Content-Type"],
                "etag": f'"{state.version}-{digest}"',
            }
            _cache_set(key, entry)
        return _respond(request, entry, state)

    return wrapper


def _with_token(request, response):
    if CSRF_PLACEHOLDER.encode() in response.content:
        response.content = response.content.replace(
            CSRF_PLACEHOLDER.encode(), get_token(request).encode()
        )
    return response


def _respond(request, entry, state):
    last_modified = state.changed_at.timestamp()
    not_modified = None
    # A kept copy with a form only works with the CSRF cookie it was made for.
    has_form = CSRF_PLACEHOLDER.encode() in entry["content"]
    if not has_form or settings.CSRF_COOKIE_NAME in request.COOKIES:
        not_modified = get_conditional_response(
            request, etag=entry["etag"], last_modified=int(last_modified)
        )
    if not_modified is not None:
        response = not_modified
    else:
        response = HttpResponse(entry["content"], content_type=entry["content_type"])
        response = _with_token(request, response)
    response["ETag"] = entry["etag"]
    response["Last-Modified"] = http_date(last_modified)
    # Browsers may keep the page but must ask again each time: it changes when staff act.
    patch_cache_control(response, no_cache=True, private=True)
    return response
