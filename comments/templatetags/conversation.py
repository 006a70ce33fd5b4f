"""{% comment_section article %}: the comments under an article and the form to join in."""

from django import template
from django.conf import settings
from django.contrib.messages import get_messages
from django.http import Http404

from comments import flags, reader_help, rules
from comments.forms import TIMESTAMP_PLACEHOLDER, CommentForm
from comments.threads import NoSuchPage, build_threads, conversation_page
from comments.visitor import (
    own_pending,
    remembered_details,
    remembered_on_device,
)
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
    try:
        page = conversation_page(article, context.get("comment_page_number") or _page(request))
    except NoSuchPage:
        raise Http404("This article's conversation has no such page.") from None
    approved = page.comments
    # A page rendered for everyone holds nothing of this visitor's session, whatever the
    # page cache was told about it.
    shared = placeholders.rendering_for_everyone()
    reply_to, remember = None, ""
    if form is None and article.comments_open:
        wanted = request.GET.get("reply_to", "")
        if is_number(wanted):
            reply_to = next((c for c in approved if c.pk == int(wanted)), None)
        stamp = placeholders.per_visitor(request, TIMESTAMP_PLACEHOLDER, article.pk)
        initial, remember = _remembered(request, shared)
        form = CommentForm(
            article=article, reply_to=reply_to, initial={**initial, "timestamp": stamp}
        )
    elif form is not None:
        reply_to = form.reply_to
        remember = " checked" if form.data.get("remember") else ""
    mine = [] if shared else own_pending(request, article, page)
    return {
        "request": request,
        "article": article,
        "is_preview": context.get("is_preview", False),
        "messages": get_messages(request),
        "comment_threads": build_threads(
            approved, mine, help_for=_help_for_own(mine, context["site_details"])
        ),
        "form_help": _help_for_unsent(form, context["site_details"]),
        "comment_page": page,
        "comment_form": form,
        "remember_checked": remember if form is not None else "",
        "keep_days": settings.COMMENTS_KEEP_METADATA_DAYS,
        "draft_days": settings.COMMENTS_DRAFT_DAYS,
        "reply_to": reply_to,
    }


def _help_for_own(mine, details):
    """{comment id: the help its writer is shown}, for the visitor's own waiting comments
    that a flag category with words for its writer holds (none in a page for everyone)."""
    flagged = [comment for comment in mine if comment.flags]
    if not flagged:
        return {}
    categories = rules.flag_categories()
    helps = {
        comment.pk: reader_help.for_flags(comment.flags, categories, details) for comment in flagged
    }
    return {pk: shown for pk, shown in helps.items() if shown}


def _help_for_unsent(form, details):
    """The help for a comment that came back unsent (an error, or comments closed), when its
    words match a category with words for its writer: they are helped all the same."""
    if form is None or not form.is_bound:
        return []
    matched = flags.matching(f"{form.data.get('name', '')}\n{form.data.get('body', '')}")
    if not matched:
        return []
    return reader_help.for_flags([category.name for category in matched], matched, details)


def _page(request):
    """The page number asked for; 0 (no such page) unless written the one plain way."""
    wanted = request.GET.get("page", "1")
    return int(wanted) if is_number(wanted) and wanted == str(int(wanted)) else 0


def _remembered(request, shared):
    """The details the form starts with, and whether "Remember me" starts ticked: none in a
    page rendered for everyone; else what this visit used, or else what the device keeps."""
    if shared:
        return {}, ""
    on_device = remembered_on_device(request)
    return {**on_device, **remembered_details(request)}, " checked" if on_device else ""
