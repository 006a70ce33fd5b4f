"""alsblog's own URLs, plus /bench-limit/<name>/: the same bytes as a real page, no database.

The limit view answers with HTML captured from the real page, through the same middleware,
server and settings, so the ratio of a page's speed to it shows what our own code costs.
"""

from pathlib import Path

from django.http import Http404, HttpResponse
from django.urls import path

from alsblog.urls import handler500  # noqa: F401 (the site's own: 503 while the database is away)
from alsblog.urls import urlpatterns as site_urlpatterns

LIMIT_DIR = Path(__file__).resolve().parent / "out" / "limit"
_pages = {}


def limit(request, name):
    if name not in _pages:
        source = LIMIT_DIR / f"{name}.bin"
        if not source.exists() or not name.isidentifier():
            raise Http404
        content_type, _, body = source.read_bytes().partition(b"\n")
        _pages[name] = (content_type.decode(), body)
    content_type, body = _pages[name]
    return HttpResponse(body, content_type=content_type)


urlpatterns = [path("bench-limit/<str:name>/", limit), *site_urlpatterns]
