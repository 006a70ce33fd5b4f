from django.utils.functional import SimpleLazyObject

from pages import editing


def site_details(request):
    """Add the footer's site details and page links, read once, only if a page shows them."""
    footer = SimpleLazyObject(editing.footer)
    return {"site_details": SimpleLazyObject(lambda: footer["details"]), "footer": footer}
