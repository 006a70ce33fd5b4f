"""Surrogate keys: the names a page a front cache holds answers to, so that a change purges
exactly the pages it touches (pagecache/purging.py).

Every page everyone shares answers to SITE (what every page shows: the footer, the menu,
the sign-up form's lists). A view adds its own with `tag(response, *keys)`: an article's page
its article's key and its neighbours', a list the keys of what it lists and its own. Keys go
out in the three headers front caches read: `xkey` (Varnish, with the xkey module),
`Surrogate-Key` (Fastly) and `Cache-Tag` (Cloudflare); each front cache strips its own
before the reader sees the page (the shipped VCL does for Varnish).
"""

import re

SITE = "site"
HEADER = "xkey"
KEY = re.compile(r"^[a-z0-9-]+$")


def tag(response, *keys):
    """Add `keys` to the keys `response` answers to."""
    for key in keys:
        if not KEY.match(key):
            raise ValueError(f"A surrogate key is lowercase letters, digits and -: {key!r}")
    response[HEADER] = " ".join(sorted({*of(response), *keys}))
    return response


def of(response):
    """The keys `response` answers to (without SITE unless it was added)."""
    return response.get(HEADER, "").split()


def send(response, keys):
    """Put `keys`, and SITE, in every front cache's header of a shared response."""
    keys = sorted({SITE, *keys})
    response[HEADER] = " ".join(keys)
    response["Surrogate-Key"] = " ".join(keys)
    response["Cache-Tag"] = ",".join(keys)
