from django.urls import path, register_converter

from pagecache.serving import cached_page
from pages import views
from pages.models import Page


class PageAddress:
    """Only the site's own pages' addresses: /about/ and the like, never /anything/."""

    regex = "|".join(Page.Address.values)

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(PageAddress, "page")

app_name = "pages"

urlpatterns = [
    path("<page:slug>/", cached_page(views.PageView.as_view()), name="detail"),
]
