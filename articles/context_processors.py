from django.conf import settings
from django.utils.functional import SimpleLazyObject


def site(request):
    """Add the site's name and the navigation's categories to every template."""
    from articles.models import Category

    return {
        "site_name": settings.SITE_NAME,
        "site_tagline": settings.SITE_TAGLINE,
        "nav_categories": SimpleLazyObject(lambda: list(Category.objects.all())),
    }
