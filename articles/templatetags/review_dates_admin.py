from django import template
from django.urls import reverse

from articles.models import Article
from articles.permissions import can_publish

register = template.Library()


@register.inclusion_tag("admin/articles/_review_dates_notice.html", takes_context=True)
def reviews_due_notice(context):
    """The admin index's count of articles due for review, for editors, with a link."""
    if not can_publish(context["request"].user):
        return {"count": 0}
    url = reverse("admin:articles_article_changelist") + "?review=due"
    return {"count": Article.objects.due_for_review().count(), "url": url}
