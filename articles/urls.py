from django.urls import path

from articles import feeds, views

app_name = "articles"

urlpatterns = [
    path("", views.ArticleListView.as_view(), name="home"),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("category/<slug:slug>/", views.CategoryArticleListView.as_view(), name="category"),
    path("tag/<slug:slug>/", views.TagArticleListView.as_view(), name="tag"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("feed/rss/", feeds.LatestArticlesFeed(), name="rss"),
    path("feed/atom/", feeds.LatestArticlesAtomFeed(), name="atom"),
]
