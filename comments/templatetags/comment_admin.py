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
    count = Comment.objects.pending()[: cap + 1].count()
    return {
        "show": True,
        "count": min(count, cap),
        "more": count > cap,
        "queue_url": reverse("admin:comments_comment_changelist"),
    }
