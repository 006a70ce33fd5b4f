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

Two pieces do it, like Django's own cache middleware: `PageCacheMiddleware` answers early,
before sessions and authentication are even looked at, for visitors who carry no session or
message cookie (most readers); the `cached_page` view decorator fills the cache, and decides
for visitors with a session.
"""

import hashlib
import logging
import re
from datetime import UTC
from functools import wraps

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F, Min, Value
from django.db.models.functions import Greatest
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.crypto import salted_hmac
from django.utils.http import http_date

from comments.forms import TIMESTAMP_PLACEHOLDER, sign_timestamp
from comments.threads import COMMENTER, OWN_COMMENTS

logger = logging.getLogger("alsblog.pagecache")

# Markers for what each visitor gets their own of; derived from the secret key, so that no
# text a reader writes can contain them (and be filled in with someone's token).
CSRF_PLACEHOLDER = "csrf-token-" + salted_hmac("pagecache", "csrf").hexdigest()[:24]
# The comment form's "when was I handed out" value, followed by the article's id.
TIMESTAMP_MARK = TIMESTAMP_PLACEHOLDER.format("").encode()
PLACEHOLDERS = re.compile(
    b"(" + re.escape(CSRF_PLACEHOLDER.encode()) + b"|" + re.escape(TIMESTAMP_MARK) + rb"\d+)"
)
CACHED_QUERY_PARAMETERS = {"page"}
# Added to shared links by newsletters and social sites; they change nothing on the page.
TRACKING_PARAMETERS = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid)$")
MESSAGE_COOKIE = CookieStorage.cookie_name
# A visitor whose session holds these sees pages of their own (their pending comments).
VISITOR_SESSION_KEYS = (OWN_COMMENTS, COMMENTER)


def next_scheduled_publication():
    from articles.models import Article

    upcoming = Article.objects.filter(
        status=Article.Status.PUBLISHED, publish_at__gt=timezone.now()
    )
    return upcoming.aggregate(first=Min("publish_at"))["first"]


def bump():
    """Record that something the public sees has changed; cached pages of before are stale.

    The new version is also at least the time in milliseconds, so versions only ever grow:
    even after a database restore brings back an old row, the next bump lands beyond every
    version used before, and no page cached under it can come back.
    """
    from articles.models import PublicVersion

    now = timezone.now()
    clock = int(now.timestamp() * 1000)
    updated = PublicVersion.objects.filter(pk=1).update(
        version=Greatest(F("version") + 1, Value(clock)),
        changed_at=now,
        next_change=next_scheduled_publication(),
    )
    if not updated:
        PublicVersion.objects.get_or_create(
            pk=1, defaults={"version": clock, "next_change": next_scheduled_publication()}
        )


class State:
    __slots__ = ("version", "changed_at", "next_change")

    def __init__(self, version, changed_at, next_change):
        self.version = version
        self.changed_at = _aware(changed_at)
        self.next_change = _aware(next_change)


def _aware(value):
    if value is None or timezone.is_aware(value):
        return value
    return timezone.make_aware(value, UTC)


def _read_state():
    # Plain SQL: this runs on every cached page, where the ORM's own work would be most of
    # the cost.
    with connection.cursor() as cursor:
        cursor.execute(STATE_SQL)
        row = cursor.fetchone()
    return State(*row) if row else None


STATE_SQL = "SELECT version, changed_at, next_change FROM articles_publicversion WHERE id = 1"


def current():
    """Return the public version, rolling it on if a scheduled article has just gone public."""
    state = _read_state()
    if state is None or (state.next_change and state.next_change <= timezone.now()):
        with transaction.atomic():
            bump()
        state = _read_state()
    return state


def csrf_placeholder(request):
    """A context processor: while a page is rendered for the cache, the token is a marker."""
    return {"csrf_token": CSRF_PLACEHOLDER} if getattr(request, "_for_page_cache", False) else {}


def is_cacheable(request):
    if not settings.PAGE_CACHE or request.method not in ("GET", "HEAD"):
        return False
    if _page_parameters(request) is None:
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


def _page_parameters(request):
    """The query parameters that choose the page, or None if the cache cannot serve it.

    Tracking parameters are dropped; "page" must be a plain number, written one way only,
    so that ?page=01 and ?page=1 are one entry, not two.
    """
    parameters = {k: v for k, v in request.GET.items() if not TRACKING_PARAMETERS.match(k)}
    if set(parameters) - CACHED_QUERY_PARAMETERS:
        return None
    page = parameters.get("page")
    if page is not None and not (page.isascii() and page.isdigit() and page == str(int(page))):
        return None
    return parameters


def _key(request, state):
    query = "&".join(f"{k}={v}" for k, v in sorted(_page_parameters(request).items()))
    address = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    return f"page:{state.version}:{hashlib.sha256(address.encode()).hexdigest()}"


class PageCacheMiddleware:
    """Answer from the cache before sessions, authentication and views are involved.

    Only for visitors without a session or message cookie: whatever their session could
    hold (a login, their pending comments) is then known to be nothing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.PAGE_CACHE
            and request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and MESSAGE_COOKIE not in request.COOKIES
            and _page_parameters(request) is not None
        ):
            try:
                state = current()
            except Exception:  # e.g. before migrations: let the view answer
                logger.warning("No public version to key cached pages by", exc_info=True)
                return self.get_response(request)
            entry = _cache_get(_key(request, state))
            if entry is not None:
                return _respond(request, entry, state)
            request._page_state = state
        return self.get_response(request)


def cached_page(view):
    """Serve `view`'s page from the cache when the visitor gets the same page as everyone."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_cacheable(request):
            return view(request, *args, **kwargs)
        state = getattr(request, "_page_state", None) or current()
        key = _key(request, state)
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
                "parts": _split(response.content),
                "content_type": response["Content-Type"],
                "etag": f'"{state.version}-{digest}"',
            }
            _cache_set(key, entry)
        return _respond(request, entry, state)

    return wrapper


def _split(content):
    """Cut `content` at its placeholders once, when cached, so each response is one join."""
    return PLACEHOLDERS.split(content)


def _personalise(request, parts):
    """Join a page's parts with this visitor's CSRF token and a timestamp signed now."""
    if len(parts) == 1:
        return parts[0]
    pieces = list(parts)
    for index in range(1, len(pieces), 2):
        marker = pieces[index]
        if marker == CSRF_PLACEHOLDER.encode():
            pieces[index] = get_token(request).encode()
        else:
            pieces[index] = sign_timestamp(int(marker[len(TIMESTAMP_MARK) :])).encode()
    return b"".join(pieces)


def _with_token(request, response):
    """A page rendered for the cache but answered directly: fill in its placeholders."""
    response.content = _personalise(request, _split(response.content))
    return response


def _respond(request, entry, state):
    last_modified = state.changed_at.timestamp()
    not_modified = None
    # A kept copy with a form only works with the CSRF cookie it was made for, and its
    # timestamp would say the form is as old as the copy: answer 304 only to pages without.
    has_form = len(entry["parts"]) > 1
    if not has_form:
        not_modified = get_conditional_response(
            request, etag=entry["etag"], last_modified=int(last_modified)
        )
    if not_modified is not None:
        response = not_modified
    else:
        content = _personalise(request, entry["parts"])
        response = HttpResponse(content, content_type=entry["content_type"])
    response["ETag"] = entry["etag"]
    response["Last-Modified"] = http_date(last_modified)
    # Browsers may keep the page but must ask again each time: it changes when staff act.
    patch_cache_control(response, no_cache=True, private=True)
    return response
