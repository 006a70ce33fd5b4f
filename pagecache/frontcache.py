"""The front cache or CDN in front of the site, and how to purge pages from it by key.

FRONT_CACHE chooses it: "varnish" (FRONT_CACHE_URLS: each Varnish, purged with a PURGE
request carrying `xkey-purge`, as deploy/varnish/alsblog.vcl takes it), "fastly"
(FASTLY_SERVICE_ID and FASTLY_API_TOKEN: Fastly's batch purge by surrogate key),
"cloudflare" (CLOUDFLARE_ZONE_ID and CLOUDFLARE_API_TOKEN: purge by cache tag), or "" for
none. Purges are sent by the worker (pagecache/tasks.py), never in a reader's request.
"""

import json
import urllib.error
import urllib.request

from django.conf import settings

TIMEOUT = 5  # seconds a purge request may take before it is tried again later
FASTLY_KEYS_A_REQUEST = 256  # Fastly's limit for a batch purge
CLOUDFLARE_TAGS_A_REQUEST = 30  # Cloudflare's limit for a purge by tags


class PurgeFailed(Exception):
    """The front cache did not confirm the purge: it is tried again later."""


def configured():
    """The front cache's name, or "" when the site has none."""
    return settings.FRONT_CACHE


def purge(keys):
    """Purge the pages that answer to any of `keys` from the front cache."""
    keys = sorted(set(keys))
    kind = configured()
    if not kind or not keys:
        return
    {"varnish": _varnish, "fastly": _fastly, "cloudflare": _cloudflare}[kind](keys)


def _varnish(keys):
    if not settings.FRONT_CACHE_URLS:
        raise PurgeFailed("FRONT_CACHE is varnish but FRONT_CACHE_URLS names no Varnish")
    for url in settings.FRONT_CACHE_URLS:
        _send(urllib.request.Request(url, method="PURGE", headers={"xkey-purge": " ".join(keys)}))


def _fastly(keys):
    url = f"{settings.FASTLY_API_URL.rstrip('/')}/service/{settings.FASTLY_SERVICE_ID}/purge"
    for start in range(0, len(keys), FASTLY_KEYS_A_REQUEST):
        chunk = keys[start : start + FASTLY_KEYS_A_REQUEST]
        headers = {
            "Fastly-Key": settings.FASTLY_API_TOKEN,
            "Surrogate-Key": " ".join(chunk),
            "Accept": "application/json",
        }
        _send(urllib.request.Request(url, method="POST", headers=headers))


def _cloudflare(keys):
    base = settings.CLOUDFLARE_API_URL.rstrip("/")
    url = f"{base}/zones/{settings.CLOUDFLARE_ZONE_ID}/purge_cache"
    for start in range(0, len(keys), CLOUDFLARE_TAGS_A_REQUEST):
        body = json.dumps({"tags": keys[start : start + CLOUDFLARE_TAGS_A_REQUEST]}).encode()
        headers = {
            "Authorization": f"Bearer {settings.CLOUDFLARE_API_TOKEN}",
            "Content-Type": "application/json",
        }
        answer = _send(urllib.request.Request(url, data=body, method="POST", headers=headers))
        try:
            confirmed = json.loads(answer).get("success") is True
        except (ValueError, AttributeError):
            confirmed = False
        if not confirmed:
            raise PurgeFailed(f"Cloudflare did not confirm the purge: {answer[:300]!r}")


def _send(request):
    """Send `request`; return the answer's body, or raise PurgeFailed."""
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:  # noqa: S310
            return answer.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        raise PurgeFailed(f"{request.full_url} answered {error.code} {error.reason}") from None
    except (OSError, ValueError) as error:
        raise PurgeFailed(f"{request.full_url} could not be reached: {error}") from None
