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
    return {
        "show": True,
        "count": Comment.objects.pending().count(),
        "queue_url": reverse("admin:comments_comment_changelist"),
    }
