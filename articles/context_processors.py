from django.utils.functional import SimpleLazyObject

from articles.models import Category


def navigation(request):
    """Add the navigation's categories to every template, read only if a page shows them."""
    return {"nav_categories": SimpleLazyObject(lambda: list(Category.objects.all()))}
