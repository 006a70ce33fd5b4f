from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import reverse
from django.views.generic import DetailView, ListView, TemplateView
from django.views.static import serve

from articles.models import SEARCH_MAX_RESULTS, Article, Category, Tag
from articles.permissions import can_preview
from comments.threads import comment_context

PAGE_SIZE = 10
SEARCH_MAX_LENGTH = 200


class ArticleListView(ListView):
    """The home page: the newest published articles first."""

    template_name = "articles/article_list.html"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return Article.objects.published().for_lists()


class CategoryArticleListView(ArticleListView):
    template_name = "articles/category_detail.html"

    def get_queryset(self):
        self.category = get_object_or_404(Category, slug=self.kwargs["slug"])
        return super().get_queryset().filter(category=self.category)

    def get_context_data(self, **kwargs):
        return super().get_context_data(category=self.category, **kwargs)


class TagArticleListView(ArticleListView):
    template_name = "articles/tag_detail.html"

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return super().get_queryset().filter(tags=self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class SearchView(ArticleListView):
    template_name = "articles/search.html"

    def get_queryset(self):
        self.query = self.request.GET.get("q", "").replace("\x00", "").strip()
        self.query = self.query[:SEARCH_MAX_LENGTH]
        if not self.query:
            return Article.objects.none()
        return super().get_queryset().search(self.query)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(query=self.query, **kwargs)
        context["capped"] = context["paginator"].count >= SEARCH_MAX_RESULTS
        return context


class ArticleDetailView(DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_object(self, queryset=None):
        article = get_object_or_404(
            Article.objects.select_related("author", "category", "image"), slug=self.kwargs["slug"]
        )
        if not article.is_public and not can_preview(self.request.user, article):
            raise Http404("No article here.")
        return article

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        return context | article_context(self.request, self.object)


def article_context(request, article, comment_form=None):
    """Everything the article page shows: the article, its neighbours and its comments."""
    context = {"article": article, "is_preview": not article.is_public}
    if article.is_public:
        neighbours = Article.objects.published().only("title", "slug", "publish_at")
        context["previous_article"] = (
            neighbours.filter(publish_at__lt=article.publish_at).order_by("-publish_at").first()
        )
        context["next_article"] = (
            neighbours.filter(publish_at__gt=article.publish_at).order_by("publish_at").first()
        )
    context["tags"] = list(article.tags.all())
    return context | comment_context(request, article, comment_form)


def render_article(request, article, comment_form=None):
    """The article page, e.g. again with a comment form that needs correcting."""
    context = article_context(request, article, comment_form)
    return TemplateResponse(request, ArticleDetailView.template_name, context)


class RobotsView(TemplateView):
    template_name = "robots.txt"
    content_type = "text/plain; charset=utf-8"

    def get_context_data(self, **kwargs):
        sitemap = self.request.build_absolute_uri(reverse("sitemap"))
        return super().get_context_data(sitemap_url=sitemap, **kwargs)


def media(request, path):
    """Serve an upload when no reverse proxy does (SERVE_MEDIA); otherwise 404."""
    if not settings.SERVE_MEDIA:
        raise Http404("Uploads are served by the web server.")
    return serve(request, path, document_root=settings.MEDIA_ROOT)


def favicon(request):
    return redirect(static("img/favicon.svg"), permanent=True)
