from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from articles.models import LISTS_KEY, Article
from core.text import display_name
from pagecache import keys

FEED_SIZE = 20


class LatestArticlesFeed(Feed):
    """RSS 2.0: the newest published articles, with their summaries."""

    link = reverse_lazy("articles:home")
    feed_url = reverse_lazy("articles:rss")

    def __call__(self, request, *args, **kwargs):
        return keys.tag(super().__call__(request, *args, **kwargs), LISTS_KEY)

    def title(self):
        return settings.SITE_NAME

    def description(self):
        return settings.SITE_TAGLINE

    def items(self):
        return Article.objects.published().for_lists()[:FEED_SIZE]

    def item_title(self, article):
        return article.title

    def item_description(self, article):
        # A summary is plain text; feed readers take an item's description (RSS) and its
        # <summary type="html"> (Atom) as HTML: escaped once here, it reads as it was written,
        # and markup in it ("<img onerror=...>") is shown as text, never run.
        return escape(article.summary)

    def item_author_name(self, article):
        return display_name(article.author)

    def item_pubdate(self, article):
        return article.publish_at

    def item_updateddate(self, article):
        return article.updated_at

    def item_categories(self, article):
        return [article.category.name]


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = Atom1Feed
    feed_url = reverse_lazy("articles:atom")

    def subtitle(self):
        return settings.SITE_TAGLINE
