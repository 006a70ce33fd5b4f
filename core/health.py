"""/health/: whether this app server can answer readers, for a load balancer; /health/live/:
whether its process answers at all, for a front cache.

200 while the database answers, 503 while it does not (this server cannot serve pages, so
the balancer should send readers elsewhere); a short JSON body says how each part is, and
never holds a secret. The cache is reported but never fails the check: pages are served
without it. Apps add their own parts with `register(name, check)` (the outbox: how much mail
waits, and whether a worker is taking tasks), reported, never failing the check either.
"""

import logging
import time

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

logger = logging.getLogger(__name__)
_checks = {}


def register(name, check):
    """Hook: `check()` returns a short JSON-ready report of one part of the site."""
    _checks[name] = check


@never_cache
@require_http_methods(["GET", "HEAD"])
def health(request):
    report = {"database": _database(), "cache": _cache()}
    if report["database"] == "ok":
        for name, check in _checks.items():
            try:
                report[name] = check()
            except Exception:
                logger.warning("Health check %s failed", name, exc_info=True)
                report[name] = "unknown"
    status = 200 if report["database"] == "ok" else 503
    return JsonResponse(
        {"status": "ok" if status == 200 else "unavailable", **report}, status=status
    )


@never_cache
@require_http_methods(["GET", "HEAD"])
def live(request):
    """200 while this process answers, whatever the database does: Varnish's probe
    (deploy/varnish/backends.vcl). While the database is away the app server still has
    what readers need: its outage copies, and a comment form sent shown back with what was
    typed; a probe that failed with the database would keep readers from both."""
    return JsonResponse({"status": "alive"})


def _database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return "down"
    return "ok"


def _cache():
    key = "health:probe"
    try:
        value = str(time.monotonic())
        cache.set(key, value, 10)
        return "ok" if cache.get(key) == value else "not keeping values"
    except Exception:
        return "down"
