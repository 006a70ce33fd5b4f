from django.utils.functional import SimpleLazyObject


def navigation(request):
    """Add the navigation's categories to every template, read only if a page shows them."""
    from articles.models import Category

    return {"nav_categories": SimpleLazyObject(lambda: list(Category.objects.all()))}
