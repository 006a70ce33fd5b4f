from django.utils.functional import SimpleLazyObject

from pagecache.serving import public_version
from pages import editing


def site_details(request):
    """Add the footer's site details and page links, read once, only if a page shows them."""
    footer = SimpleLazyObject(lambda: editing.footer(public_version(request)))
    return {"site_details": SimpleLazyObject(lambda: footer["details"]), "footer": footer}
