from django.views.generic import DetailView

from articles import rendering
from articles.models import Image
from pagecache import keys
from pages import retention
from pages.models import Page


class PageView(DetailView):
    """One of the site's own pages; Contact and Privacy add what the site knows below it."""

    context_object_name = "page"

    def get_queryset(self):
        return Page.objects.published()

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        return keys.tag(response, f"page-{self.object.slug}")

    def get_template_names(self):
        return [f"pages/page_{self.object.slug}.html", "pages/page_detail.html"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Rendered here rather than stored: the pictures' renditions are the library's
        # current ones, and the page cache keeps the result.
        library = Image.objects.in_bulk(rendering.library_ids(self.object.body))
        context["body_html"] = rendering.render_body(self.object.body, library)
        if self.object.slug == Page.Address.PRIVACY:
            context["retention"] = retention.sections()
        return context
