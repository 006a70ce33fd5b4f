"""{% comment_section article %}: the comments under an article and the form to join in."""

from django import template
from django.contrib.messages import get_messages

from comments.forms import TIMESTAMP_PLACEHOLDER, CommentForm
from comments.models import Comment
from comments.threads import build_threads
from comments.visitor import own_pending, remembered_details
from core.text import is_number
from pagecache import placeholders

register = template.Library()


@register.inclusion_tag("comments/_section.html", takes_context=True)
def comment_section(context, article):
    """The approved threads, the visitor's own pending comments, and the comment form.

    A page shown again after a form error puts its bound form in the context as
    `comment_form`; otherwise the form is new, answering `?reply_to=` when it names an
    approved comment.
    """
    request = context["request"]
    form = context.get("comment_form")
    approved = list(Comment.objects.for_page(article))
    # A page rendered for everyone holds nothing of this visitor's session, whatever the
    # page cache was told about it.
    shared = placeholders.rendering_for_everyone()
    reply_to = None
    if form is None and article.comments_open:
        wanted = request.GET.get("reply_to", "")
        if is_number(wanted):
            reply_to = next((c for c in approved if c.pk == int(wanted)), None)
        stamp = placeholders.per_visitor(request, TIMESTAMP_PLACEHOLDER, article.pk)
        initial = {**({} if shared else remembered_details(request)), "timestamp": stamp}
        form = CommentForm(article=article, reply_to=reply_to, initial=initial)
    elif form is not None:
        reply_to = form.reply_to
    return {
        "request": request,
        "article": article,
        "is_preview": context.get("is_preview", False),
        "messages": get_messages(request),
        "comment_threads": build_threads(approved, [] if shared else own_pending(request, article)),
        "comment_form": form,
        "reply_to": reply_to,
    }
