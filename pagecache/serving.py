"""Serving whole pages from the cache, for every visitor who gets the same page as everyone.

Served from the cache: GET requests from visitors who are not logged in, carry no flash
message, and whose session no app says makes their pages their own (`personal_when`).
Each page is keyed by the public version (pagecache/versions.py) and its address, so it
is never stale, and its per-visitor pieces are filled in for each response
(pagecache/placeholders.py).

Two pieces do it, like Django's own cache middleware: `PageCacheMiddleware` answers early,
before sessions and authentication are even looked at, for visitors who carry no session or
message cookie (most readers); the `cached_page` view decorator fills the cache, and decides
for visitors with a session. Each answer says which it was in its `X-Page-Cache` header:
`hit` (from the cache), `miss` (rendered and stored) or `bypass` (rendered for this visitor
alone).
"""

import hashlib
import logging
import re
import time
from functools import wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from core import unavailable
from pagecache import gone, keys, newest, placeholders, versions

logger = logging.getLogger("alsblog.pagecache")

STATUS_HEADER = "X-Page-Cache"
CACHED_QUERY_PARAMETERS = {"page"}
# Added to shared links by newsletters and social sites; they change nothing on the page.
TRACKING_PARAMETERS = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid)$")
MESSAGE_COOKIE = CookieStorage.cookie_name
# Bumped when the shape of a stored entry changes, so a new release never reads an old one.
ENTRY_FORMAT = 3
# The public version the middleware read, kept on the request for the view decorator.
_STATE = "_pagecache_state"


_personal_tests = []
_personal_cookies = set()


def personal_when(test):
    """Hook: `test(session)` is true when what the session holds makes pages personal.

    Register it once, in an AppConfig.ready(), for whatever a session holds that pages show
    the visitor (their pending comments, their name in the comment form): their pages are
    then rendered for them alone, never stored or served from the cache. Only a session can
    hold it: visitors without a session cookie are answered from the cache before sessions
    are looked at.
    """
    if test not in _personal_tests:
        _personal_tests.append(test)


def personal_cookie(name):
    """Hook: a request that carries the cookie `name` gets pages rendered for it alone.

    Register it once, in an AppConfig.ready(), for a cookie of the app's own that pages
    show their visitor something of (a commenter's pending comments): unlike a session,
    it is seen before any database is asked.
    """
    _personal_cookies.add(name)


def _carries_personal_cookie(request):
    return any(name in request.COOKIES for name in _personal_cookies)


def gets_shared_page(request):
    """True when this request gets the same page as every other visitor's."""
    if not settings.PAGE_CACHE or request.method not in ("GET", "HEAD"):
        return False
    if _carries_personal_cookie(request):
        return False
    if _page_parameters(request) is None or request.user.is_authenticated:
        return False
    session = request.session
    if session.session_key and any(test(session) for test in _personal_tests):
        return False
    return not len(get_messages(request))


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


def _address(request):
    query = "&".join(f"{k}={v}" for k, v in sorted(_page_parameters(request).items()))
    address = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    return hashlib.sha256(address.encode()).hexdigest()


def _key(request, state):
    return _versioned_key(request, state.version)


def _versioned_key(request, version):
    return f"page:{ENTRY_FORMAT}:{version}:{_address(request)}"


# Stale-if-error, for when the public version cannot be read (the database is restarting
# or away). Every version a process reads is noted where every process looks
# (pagecache/newest.py); a page stored under the newest noted version is exactly what the
# public saw when the database was last reachable, and is served for up to
# PAGE_CACHE_STALE_SECONDS after that. A page of any older version is never served: it may
# show an article since withdrawn or a name since erased. The answer says `stale`, and it
# is logged (once every LOG_EVERY_SECONDS in each process, with how many were served).
_last_read = {"state": None, "at": 0.0}
# After the database failed once, this process does not ask it again for a few seconds: a
# database that hangs instead of refusing would otherwise hold every reader's thread.
RETRY_DATABASE_SECONDS = 2
_database_down_until = [0.0]
LOG_EVERY_SECONDS = 60
_stale_served = {"count": 0, "logged_at": 0.0}


def current_state():
    """The public version, remembered as the last one read; raises while the database is
    away (unavailable.UNAVAILABLE), at once for a few seconds after it failed."""
    if time.monotonic() < _database_down_until[0]:
        raise unavailable.DatabaseAway("the database failed a moment ago")
    try:
        state = versions.current()
    except unavailable.UNAVAILABLE:
        if connection.in_atomic_block:
            _database_down_until[0] = time.monotonic() + RETRY_DATABASE_SECONDS
            raise
        # A connection the database ended (a restart does, to every one) fails once, and a
        # new one may answer at once: only when it fails too is the database left alone.
        connection.close()
        try:
            state = versions.current()
        except unavailable.UNAVAILABLE:
            _database_down_until[0] = time.monotonic() + RETRY_DATABASE_SECONDS
            raise
    _last_read.update(state=state, at=time.monotonic())
    newest.note(state.version)
    return state


def public_version(request):
    """The public version this request's page is rendered under: as read for the page cache,
    else read now."""
    state = getattr(request, _STATE, None)
    if state is None:
        state = current_state()
        setattr(request, _STATE, state)
    return state.version


def _stale_key(request):
    return f"page-stale:{ENTRY_FORMAT}:{_address(request)}"


def _keep_for_outages(request, entry, state):
    try:
        cache.set(
            _stale_key(request),
            {**entry, "version": state.version},
            settings.PAGE_CACHE_STALE_SECONDS,
        )
    except Exception:
        logger.warning("Page cache unavailable for writing", exc_info=True)


def stale_copy(request):
    """The page as the public last saw it while the database answered (or "not found", for
    a page taken down since: pagecache/gone.py), or None."""
    if not settings.PAGE_CACHE or request.method not in ("GET", "HEAD"):
        return None
    if _page_parameters(request) is None:
        return None
    newest_known = newest.known()
    if newest_known is None:
        return None
    if time.time() - newest_known["at"] > settings.PAGE_CACHE_STALE_SECONDS and (
        time.monotonic() - _last_read["at"] > settings.PAGE_CACHE_STALE_SECONDS
    ):
        return None
    version = newest_known["version"]
    entry = _cache_get(_versioned_key(request, version))
    if entry is None:  # the copy kept for outages, if nothing has changed since it was stored
        copy = _cache_get(_stale_key(request))
        entry = copy if copy and copy["version"] == version else None
    if entry is None:  # a page taken down since answers as it did then: not found
        return unavailable.not_found(request) if gone.is_gone(request.path) else None
    _log_stale()
    content = placeholders.fill(request, entry["parts"])
    response = HttpResponse(content, content_type=entry["content_type"])
    response[STATUS_HEADER] = "stale"
    patch_cache_control(response, no_cache=True, private=True)
    return response


def _log_stale():
    _stale_served["count"] += 1
    now = time.monotonic()
    if now - _stale_served["logged_at"] >= LOG_EVERY_SECONDS:
        logger.warning(
            "Database unavailable: served %d page(s) as last stored", _stale_served["count"]
        )
        _stale_served.update(count=0, logged_at=now)


class PageCacheMiddleware:
    """Answer from the cache before sessions, authentication and views are involved.

    Only for visitors without a session or message cookie: whatever their session could
    hold (a login, a personal mark) is then known to be nothing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.PAGE_CACHE
            and request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and MESSAGE_COOKIE not in request.COOKIES
            and not _carries_personal_cookie(request)
            and _page_parameters(request) is not None
            and _is_cached_page(request)
        ):
            try:
                state = current_state()
            except unavailable.UNAVAILABLE:
                return stale_copy(request) or unavailable.response(request)
            except Exception:  # e.g. before migrations: let the view answer
                logger.warning("No public version to key cached pages by", exc_info=True)
                return self.get_response(request)
            entry = _cache_get(_key(request, state))
            if entry is not None:
                return _respond(request, entry, state, "hit")
            setattr(request, _STATE, state)
        response = self.get_response(request)
        if response.get(STATUS_HEADER) in SHARED:
            # The same bytes for everyone, whatever cookies came with the request: the
            # session looked at on the way says nothing of this page.
            _drop_vary_cookie(response)
        return response


def _is_cached_page(request):
    """Does the view at this address serve pages from the cache? (Others, /health/ say, are
    answered by their own view, with no query made for them here.)"""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return getattr(match.func, "serves_cached_pages", False)


def cached_page(view, *, listing=False):
    """Serve `view`'s page from the cache when the visitor gets the same page as everyone.

    A front cache or CDN may keep it FRONT_CACHE_SECONDS, or FRONT_CACHE_LIST_SECONDS for a
    `listing` (a list of articles, a feed, a sitemap: what a scheduled article joins at its
    time); a change purges it sooner (pagecache/purging.py).
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        seconds = settings.FRONT_CACHE_LIST_SECONDS if listing else settings.FRONT_CACHE_SECONDS
        return serve(view, request, *args, shared_seconds=seconds, **kwargs)

    wrapper.serves_cached_pages = True
    return wrapper


def serve(view, request, *args, shared_seconds=0, **kwargs):
    """Answer `request` from the cache, or with `view`'s page, storing it if it may be.

    While the database is away, the newest stored copy of the page is served to everyone
    who asks for it (nothing personal is ever stored); without one, the error goes on to
    the "back in a minute" page (core/unavailable.py).
    """
    try:
        shared = gets_shared_page(request)
        state = (getattr(request, _STATE, None) or current_state()) if shared else None
    except unavailable.UNAVAILABLE:
        copy = stale_copy(request)
        if copy is None:
            raise
        return copy
    if not shared:
        response = view(request, *args, **kwargs)
        return _own(response)
    setattr(request, _STATE, state)
    key = _key(request, state)
    entry = _cache_get(key)
    if entry is not None:
        return _respond(request, entry, state, "hit")
    try:
        with placeholders.rendering_for_cache():
            response = view(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
    except unavailable.UNAVAILABLE:  # the database went away after the version was read
        copy = stale_copy(request)
        if copy is None:
            raise
        return copy
    # Only a plain page is stored: an error, a redirect or a page that sets a cookie is this
    # visitor's alone.
    if response.status_code != 200 or response.cookies:
        response.content = placeholders.fill(request, placeholders.split(response.content))
        return _own(response)
    digest = hashlib.sha256(response.content).hexdigest()[:16]
    entry = {
        "parts": placeholders.split(response.content),
        "content_type": response["Content-Type"],
        "etag": f'"{state.version}-{digest}"',
        "keys": keys.of(response),
        "seconds": shared_seconds,
    }
    _cache_set(key, entry)
    _keep_for_outages(request, entry, state)
    return _respond(request, entry, state, "miss")


def _respond(request, entry, state, status):
    last_modified = state.changed_at.timestamp()
    not_modified = None
    # A kept copy with a form only works with the CSRF cookie it was made for, and its
    # timestamp would say the form is as old as the copy: answer 304 only to pages without.
    if not placeholders.has_any(entry["parts"]):
        not_modified = get_conditional_response(
            request, etag=entry["etag"], last_modified=int(last_modified)
        )
    if not_modified is not None:
        response = not_modified
    else:
        content = placeholders.fill(request, entry["parts"])
        response = HttpResponse(content, content_type=entry["content_type"])
    response["ETag"] = entry["etag"]
    response["Last-Modified"] = http_date(last_modified)
    response[STATUS_HEADER] = status
    # Browsers may keep the page but must ask again each time: it changes when staff act. A
    # front cache or CDN may keep it for everyone until a change purges its keys, and serve
    # it a little longer while it fetches a new copy, or while the site cannot answer.
    patch_cache_control(
        response,
        public=True,
        max_age=0,
        s_maxage=entry["seconds"],
        stale_while_revalidate=settings.FRONT_CACHE_REVALIDATE_SECONDS,
        stale_if_error=settings.FRONT_CACHE_IF_ERROR_SECONDS,
    )
    keys.send(response, entry["keys"])
    return response


SHARED = ("hit", "miss")


def _own(response):
    """`response` as one visitor's own page (their waiting comment, a login, an error): no
    shared cache keeps it."""
    response[STATUS_HEADER] = "bypass"
    if keys.HEADER in response:
        del response[keys.HEADER]
    patch_cache_control(response, no_cache=True, private=True)
    return response


def _drop_vary_cookie(response):
    vary = [field.strip() for field in response.get("Vary", "").split(",") if field.strip()]
    kept = [field for field in vary if field.lower() != "cookie"]
    if kept:
        response["Vary"] = ", ".join(kept)
    elif "Vary" in response:
        del response["Vary"]
