from django.urls import path

from articles import feeds, views
from pagecache.serving import cached_page

app_name = "articles"

urlpatterns = [
    path("", cached_page(views.ArticleListView.as_view(), listing=True), name="home"),
    path("articles/<slug:slug>/", cached_page(views.ArticleDetailView.as_view()), name="detail"),
    path(
        "category/<slug:slug>/",
        cached_page(views.CategoryArticleListView.as_view(), listing=True),
        name="category",
    ),
    path(
        "tag/<slug:slug>/",
        cached_page(views.TagArticleListView.as_view(), listing=True),
        name="tag",
    ),
    path("search/", views.SearchView.as_view(), name="search"),
    path("feed/rss/", cached_page(feeds.LatestArticlesFeed(), listing=True), name="rss"),
    path("feed/atom/", cached_page(feeds.LatestArticlesAtomFeed(), listing=True), name="atom"),
]
