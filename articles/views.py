from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.views.generic import DetailView, ListView

from articles.models import LISTS_KEY, SEARCH_MAX_RESULTS, Article, Category, Tag
from articles.permissions import can_preview
from pagecache import keys

PAGE_SIZE = 10
SEARCH_MAX_LENGTH = 200


class ArticleListView(ListView):
    """The home page: the newest published articles first."""

    template_name = "articles/article_list.html"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return Article.objects.published().for_lists()

    def list_key(self):
        """What this list answers to in a front cache, beside the articles it shows."""
        return LISTS_KEY

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        shown = [article.surrogate_key for article in context["object_list"]]
        return keys.tag(response, self.list_key(), *shown)


class CategoryArticleListView(ArticleListView):
    template_name = "articles/category_detail.html"

    def get_queryset(self):
        self.category = get_object_or_404(Category, slug=self.kwargs["slug"])
        return super().get_queryset().filter(category=self.category)

    def get_context_data(self, **kwargs):
        return super().get_context_data(category=self.category, **kwargs)

    def list_key(self):
        return self.category.surrogate_key


class TagArticleListView(ArticleListView):
    template_name = "articles/tag_detail.html"

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return super().get_queryset().filter(tags=self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)

    def list_key(self):
        return self.tag.surrogate_key


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
            Article.objects.select_related(
                "author", "category", "image", "reviewed_by"
            ).with_public_now(),
            slug=self.kwargs["slug"],
        )
        if not article.is_public and not can_preview(self.request.user, article):
            raise Http404("No article here.")
        return article

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | article_context(self.object)

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        return keys.tag(response, *article_keys(context))


def article_context(article):
    """What the article page shows besides its comments: the article, tags, sources, neighbours.

    The comments section is the comments app's: the template asks for it with
    {% comment_section article %}.
    """
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
    context["sources"] = list(article.sources.all())  # one query, however many
    return context


def article_keys(context):
    """What an article's page answers to in a front cache: its article and its neighbours,
    whose titles it links."""
    shown = [context.get(name) for name in ("article", "previous_article", "next_article")]
    return [article.surrogate_key for article in shown if article is not None]


def article_page(request, article, **extra_context):
    """The article page as readers see it, with `extra_context` added.

    For other apps that show the page again, e.g. with a comment form to correct.
    """
    context = article_context(article) | extra_context
    return TemplateResponse(request, ArticleDetailView.template_name, context)
