"""The old site's addresses: links to them inside posts, and redirects from them."""

from urllib.parse import unquote, urlsplit

from django.urls import reverse
from django.utils.encoding import escape_uri_path

from wordpress.models import OldLink


def redirect_old_addresses(links, categories, tags, report):
    """Store a redirect from each old address of the site to its new one: posts, terms,
    feeds."""
    wanted = {}
    for old, new in links.items():
        if old.startswith("?"):
            wanted[f"/{old}"] = new
        elif old != "/":
            wanted[escape_uri_path(old + "/")] = new
    for slug, category in categories.items():
        wanted[escape_uri_path(f"/category/{unquote(slug)}/")] = category.get_absolute_url()
    for slug, tag in tags.items():
        wanted[escape_uri_path(f"/tag/{unquote(slug)}/")] = tag.get_absolute_url()
    rss = reverse("articles:rss")
    for old in ("/feed/", "/feed/rss/", "/feed/rss2/", "/?feed=rss2", "/comments/feed/"):
        wanted[old] = rss
    for old, new in wanted.items():
        if old == new:
            continue  # the same address here: nothing to redirect
        _, created = OldLink.objects.update_or_create(
            old_path=old[:500], defaults={"new_path": new}
        )
        report.counts["redirect"] += created


def same_host(host, site):
    """Is `host` the old site's, with or without "www."?"""
    ours = urlsplit(site).netloc.lower().removeprefix("www.")
    return host.lower().removeprefix("www.") == ours


def address(path_or_url):
    """A page's path as the old site's links name it: decoded, without its last slash."""
    path = unquote(urlsplit(path_or_url).path)
    return path.rstrip("/") or "/"
