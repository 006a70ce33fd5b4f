"""Request-level pieces for the whole site: the Content-Security-Policy, NUL bytes, and the
time zone of each member of staff in the admin."""

import base64
import hashlib
import re
from functools import cache

from csp.middleware import CSPMiddleware
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control

from core import when
from core.models import StaffPreferences

IMPORT_MAP = re.compile(r'<script type="importmap"[^>]*>(.*?)</script>', re.S)

_admin_media_sources = {}


def allow_admin_import_maps(name, media):
    """Hook: `media()` returns the form media of an admin widget whose import map is inline.

    The site allows no inline script; an admin widget's import map (which lists static files'
    addresses, fixed for a running process) is allowed by its hash instead. Register it in an
    AppConfig.ready(), under a name of its own: registering a name again replaces it.
    """
    _admin_media_sources[name] = media
    import_map_hashes.cache_clear()


@cache
def import_map_hashes():
    """CSP hashes of the registered admin widgets' inline import maps."""
    rendered = "".join(str(media()) for media in _admin_media_sources.values())
    return [
        f"'sha256-{base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()}'"
        for body in IMPORT_MAP.findall(rendered)
    ]


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin widgets' import maps allowed by their hash."""

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


class PrivateUnlessSaidMiddleware:
    """A response that says nothing of caching (a page not found, search results, a redirect,
    a form's answer) says `no-cache, private`: no front cache or CDN keeps it, where no purge
    would reach it. Pages everyone shares say what they may (pagecache/serving.py), and
    static files theirs (whitenoise)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Cache-Control" not in response and "Expires" not in response:
            patch_cache_control(response, no_cache=True, private=True)
        return response


@cache
def admin_prefix():
    return reverse("admin:index")


def staff_zone(request):
    """The zone this request's admin pages are in: the staff member's own, or None.

    None outside the admin: public pages are cached for everyone, so they stay in the site's
    zone even for staff reading or previewing them. One query, for staff only.
    """
    if not request.path_info.startswith(admin_prefix()):
        return None
    user = request.user
    if not (user.is_authenticated and user.is_staff):
        return None
    chosen = StaffPreferences.objects.filter(user=user).values_list("time_zone", flat=True)
    return when.zone_named(chosen.first())


class StaffTimeZoneMiddleware:
    """Show and take the admin's times in the time zone each member of staff chose.

    After the authentication middleware. Django's datetime fields, the changelist and the
    date hierarchy then all use the active zone; it is switched off again after the
    response, since a thread serves the next visitor too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        zone = staff_zone(request)
        if zone is None:
            return self.get_response(request)
        timezone.activate(zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
