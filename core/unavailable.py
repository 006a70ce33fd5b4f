"""The page a reader gets while the database is away: a 503 that says when to try again.

A database restart or outage raises OperationalError or InterfaceError anywhere in a
request. Instead of the 500 page, the reader gets "back in a minute" with Retry-After; a
comment they were sending is shown back to them to copy (nothing they typed is lost). The
page is rendered without the request's context processors: those read the database.
"""

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme

# What the database raises when it cannot be reached, or the connection was lost.
UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30
BUSY_RETRY_AFTER_SECONDS = 5
PAUSED_RETRY_AFTER_SECONDS = 120


def is_unavailable(error):
    return isinstance(error, UNAVAILABLE)


def response(request, *, busy=False, paused=False):
    """The "back in a minute" page for `request`, with the comment it carried, if any.

    `busy`: the server is not down but too busy to take this form now (comments/posting.py);
    `paused`: new comments are paused for a few minutes (a 429: comments/moderation.py).
    """
    text = ""
    if request.method == "POST":
        try:
            text = request.POST.get("body", "")
        except Exception:  # an unreadable body: there is nothing to show back
            text = ""
    retry_after = (
        PAUSED_RETRY_AFTER_SECONDS
        if paused
        else BUSY_RETRY_AFTER_SECONDS
        if busy
        else RETRY_AFTER_SECONDS
    )
    context = {
        "site_name": settings.SITE_NAME,
        "comment_text": text,
        "retry_after": retry_after,
        "retry_path": _retry_path(request),
        "busy": busy,
        "paused": paused,
    }
    page = HttpResponse(render_to_string("503.html", context), status=429 if paused else 503)
    page["Retry-After"] = str(retry_after)
    add_never_cache_headers(page)
    return page


def _retry_path(request):
    """Where "Try again" leads: this page, or for a form, the page the form was on."""
    if request.method in ("GET", "HEAD"):
        return request.get_full_path()
    referer = request.headers.get("referer", "")
    safe = url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return referer if safe else "/"


def server_error(request, template_name="500.html"):
    """handler500: the 503 page when the database is away, the 500 page otherwise."""
    if is_unavailable(sys.exc_info()[1]):
        return response(request)
    from django.views.defaults import server_error as default

    return default(request, template_name)
