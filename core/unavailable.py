"""The page a reader gets while the database is away: a 503 that says when to try again.

A database restart or outage raises OperationalError or InterfaceError anywhere in a
request. Instead of the 500 page, the reader gets "back in a minute" with Retry-After; a
comment they were sending is shown back to them to copy (nothing they typed is lost). The
page is rendered without the request's context processors: those read the database.
"""

import logging
import re
import sys
from functools import cache as cache_for_process

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.http import escape_leading_slashes, url_has_allowed_host_and_scheme
from django.views import defaults

logger = logging.getLogger(__name__)


class DatabaseAway(OperationalError):
    """Raised without asking the database, a moment after it failed (pagecache/serving.py)."""


# What the database raises when it cannot be reached, or the connection was lost.
UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30
BUSY_RETRY_AFTER_SECONDS = 5
PAUSED_RETRY_AFTER_SECONDS = 120


def is_unavailable(error):
    return isinstance(error, UNAVAILABLE)


KINDS = {  # kind: (status, Retry-After seconds)
    "database": (503, RETRY_AFTER_SECONDS),
    "busy": (503, BUSY_RETRY_AFTER_SECONDS),
    "paused": (429, PAUSED_RETRY_AFTER_SECONDS),
}
# Rendered once per process with these in the place of the reader's text, of the "Try
# again" address and of the help its words call for, then filled in for each answer: under a
# flood this page is most answers.
_TEXT, _RETRY, _HELP = "unsentcommenttext7f3a", "retrypath7f3a", "unsenthelp7f3a"
_MARKERS = re.compile(f"{_TEXT}|{_RETRY}|{_HELP}")
_help_for = [None]


def help_for_unsent(function):
    """Register `function(text)`: the HTML of the help an unsent comment's words call for
    (comments/unsent.py), shown above the text. It must not ask the database."""
    _help_for[0] = function
    return function


def _help(text):
    if not text or _help_for[0] is None:
        return ""
    try:
        return _help_for[0](text)
    except Exception:  # the page must be answered whatever happens to the help
        logger.warning("No help could be worked out for an unsent comment", exc_info=True)
        return ""


@cache_for_process
def _rendered(kind):
    context = {
        "site_name": settings.SITE_NAME,
        "comment_text": _TEXT,
        "retry_after": KINDS[kind][1],
        "retry_path": _RETRY,
        "help": _HELP,
        "busy": kind == "busy",
        "paused": kind == "paused",
    }
    page = render_to_string("503.html", context)
    # Without a text, the page says nothing of a comment.
    start, end = page.index("<!-- unsent -->"), page.index("<!-- /unsent -->")
    return page, page[:start] + page[end:]


def page(kind, *, text="", retry_path="/"):
    """The status, headers and body of the page of `kind` ("database", "busy", "paused")."""
    status, retry_after = KINDS[kind]
    with_text, without_text = _rendered(kind)
    values = {_TEXT: escape(text), _RETRY: escape(retry_path), _HELP: _help(text)}
    # One pass: a comment that contains a marker's letters stays as written.
    body = _MARKERS.sub(lambda found: values[found.group()], with_text if text else without_text)
    body = body.encode()
    headers = [
        ("Content-Type", "text/html; charset=utf-8"),
        ("Retry-After", str(retry_after)),
        ("Cache-Control", "max-age=0, no-cache, no-store, must-revalidate, private"),
    ]
    return status, headers, body


def response(request, *, busy=False, paused=False):
    """The "back in a minute" page for `request`, with the comment it carried, if any.

    `busy`: the server is not down but too busy to take this form now (comments/posting.py);
    `paused`: new comments are paused for a few minutes (a 429: comments/screening.py).
    """
    text = ""
    if request.method == "POST":
        try:
            text = request.POST.get("body", "")
        except Exception:  # an unreadable body: there is nothing to show back
            text = ""
    kind = "paused" if paused else "busy" if busy else "database"
    if request.method in ("GET", "HEAD"):
        again = escape_leading_slashes(request.get_full_path())  # never "//elsewhere"
    else:
        again = retry_path(request.headers.get("referer", ""), request.get_host())
    status, headers, body = page(kind, text=text, retry_path=again)
    answer = HttpResponse(body, status=status)
    for name, value in headers:
        answer[name] = value
    return answer


@cache_for_process
def _not_found_page():
    return render_to_string("404_away.html", {"site_name": settings.SITE_NAME})


def not_found(request):
    """A page taken down, asked for while the database is away: "not found", as it would be
    if the database answered (pagecache/gone.py), in a page that needs no database."""
    answer = HttpResponse(_not_found_page(), status=404)
    answer["Cache-Control"] = "max-age=0, no-cache, no-store, must-revalidate, private"
    answer.taken_down = True  # known to be gone: no old address to look up (wordpress/)
    return answer


def retry_path(referer, host):
    """Where "Try again" leads after a form: the page the form was on, if on this site."""
    safe = url_has_allowed_host_and_scheme(referer, allowed_hosts={host})
    return referer if referer and safe else "/"


def server_error(request, template_name="500.html"):
    """handler500: the 503 page when the database is away, the 500 page otherwise."""
    if is_unavailable(sys.exc_info()[1]):
        return response(request)
    return defaults.server_error(request, template_name)
