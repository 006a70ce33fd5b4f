from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap
from django.urls import reverse

from articles.models import LISTS_KEY, Article, Category
from pagecache import keys


class ArticleSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Article.objects.published().only("slug", "updated_at").order_by("-publish_at")

    def lastmod(self, article):
        return article.updated_at


class CategorySitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return Category.objects.all()


class HomeSitemap(Sitemap):
    changefreq = "daily"
    priority = 1.0

    def items(self):
        return ["articles:home"]

    def location(self, name):
        return reverse(name)


SITEMAPS = {"home": HomeSitemap, "articles": ArticleSitemap, "categories": CategorySitemap}


def sitemap_page(request, sitemaps):
    """sitemap.xml, answering to the lists' key in a front cache: it lists every article."""
    return keys.tag(sitemap(request, sitemaps=sitemaps), LISTS_KEY)
