"""Request-level protections shared by the whole site: the reader's address and the CSP."""

import base64
import hashlib
import re
from functools import cache

from csp.middleware import CSPMiddleware
from django.conf import settings

IMPORT_MAP = re.compile(r'<script type="importmap"[^>]*>(.*?)</script>', re.S)


def client_ip(request):
    """The reader's IP address, looking through the trusted reverse proxies, if any."""
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if proxies and len([part for part in forwarded if part]) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None


@cache
def import_map_hashes():
    """CSP hashes of the rich-text editor's inline import map, the site's one inline script.

    Its content is fixed for a running process (it lists static files' addresses), so it is
    allowed by its hash rather than by allowing inline scripts at all.
    """
    from django.contrib.admin.widgets import AdminTextareaWidget

    from articles.models import Article

    field = Article._meta.get_field("body").formfield(widget=AdminTextareaWidget)
    rendered = str(field.widget.media)
    return [
        f"'sha256-{base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()}'"
        for body in IMPORT_MAP.findall(rendered)
    ]


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the editor's import map allowed by its hash."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith("/admin/"):
            parts.update = {**(parts.update or {}), "script-src": import_map_hashes()}
        return parts


class DropNulCharactersMiddleware:
    """Remove NUL characters from query strings: PostgreSQL refuses them in any query.

    No page needs one, and without this a search box anywhere (the admin's included) would
    answer a stray %00 with a server error.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if "%00" in query or "\x00" in query:
            cleaned = request.GET.copy()
            for key in list(cleaned):
                cleaned.setlist(key, [value.replace("\x00", "") for value in cleaned.getlist(key)])
            request.GET = cleaned
        return self.get_response(request)
