from django import template
from django.urls import reverse

from comments.models import Comment

register = template.Library()


@register.inclusion_tag("admin/comments/_pending_notice.html", takes_context=True)
def pending_comments_notice(context):
    """The admin index's note of how many comments wait, for staff who moderate."""
    user = context["request"].user
    if not user.has_perm("comments.moderate_comment"):
        return {"show": False}
    cap = 1000  # a count is only shown up to here: counting 100,000 rows costs time
    waiting = Comment.objects.pending()
    count = waiting[: cap + 1].count()
    urgent = waiting.filter(is_urgent=True)[: cap + 1].count()
    questions = Comment.objects.questions_for_staff()[: cap + 1].count()
    queue_url = reverse("admin:comments_comment_changelist")
    first = waiting.select_related("article").order_by("-is_urgent", "created_at", "id")[:5]
    return {
        "show": True,
        "count": min(count, cap),
        "more": count > cap,
        "urgent": min(urgent, cap),
        "questions": min(questions, cap),
        "first": first,
        "queue_url": queue_url,
        "urgent_url": f"{queue_url}?flagged=urgent",
        "questions_url": f"{queue_url}?status=all&questions=open",
    }
