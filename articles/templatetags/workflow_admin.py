from django import template

from articles import notifications, workflow
from articles.permissions import can_publish

register = template.Library()


@register.inclusion_tag("admin/articles/article/_waiting_notice.html", takes_context=True)
def articles_waiting_notice(context, listed=5):
    """For editors: how many articles wait for review, linked to that list, the first few
    named (the admin index lists them; the article list shows the count)."""
    if not can_publish(context["request"].user):
        return {"show": False}
    waiting = workflow.waiting().select_related("author")
    return {
        "show": True,
        "count": waiting.count(),
        "first": list(waiting[:listed]) if listed else [],
        "waiting_url": notifications.waiting_url(),
    }
