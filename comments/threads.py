"""Arrange an article's comments into the threads its page shows."""

from dataclasses import dataclass, field

from articles.text import is_number
from comments.forms import CommentForm
from comments.models import MAX_DEPTH, Comment

OWN_COMMENTS = "comments.mine"  # session key: ids of the comments this visitor posted
COMMENTER = "comments.commenter"  # session key: the name and email they used
OWN_LIMIT = 20


@dataclass
class Node:
    comment: Comment
    pending: bool = False
    depth: int = 0
    reply_to_name: str = ""
    children: list = field(default_factory=list)
    siblings: list = field(default=None, repr=False)  # the list this node is shown in


def build_threads(comments, pending=()):
    """Return the top-level nodes of `comments`, oldest first, replies nested under them.

    Replies nest up to MAX_DEPTH levels; a reply to a comment at the deepest level is shown
    at that level, after it, saying whom it answers. A reply whose parent is not shown (not
    approved, or no longer) is shown as a top-level comment.
    """
    pending_ids = {comment.pk for comment in pending}
    ordered = sorted([*comments, *pending], key=lambda comment: (comment.created_at, comment.pk))
    nodes, roots = {}, []
    for comment in ordered:
        node = Node(comment, pending=comment.pk in pending_ids)
        parent = nodes.get(comment.parent_id)
        if parent is None:
            node.siblings = roots
        elif parent.depth < MAX_DEPTH - 1:
            node.depth = parent.depth + 1
            node.siblings = parent.children
        else:
            node.depth = parent.depth
            node.reply_to_name = parent.comment.name
            node.siblings = parent.siblings
        node.siblings.append(node)
        nodes[comment.pk] = node
    return roots


def own_pending(request, article):
    """The comments this visitor posted on `article` that still wait for a moderator."""
    session = getattr(request, "session", None)
    ids = session.get(OWN_COMMENTS, []) if session is not None else []
    if not ids:
        return []
    waiting = (Comment.Status.PENDING, Comment.Status.SPAM)
    return list(Comment.objects.filter(pk__in=ids, article=article, status__in=waiting))


def remember_own(request, comment):
    """Keep, until the browser closes, which comments this visitor wrote and their details.

    "For the rest of their visit": on a shared computer the next person must not find the
    name and email filled in.
    """
    request.session.set_expiry(0)
    ids = [pk for pk in request.session.get(OWN_COMMENTS, []) if pk != comment.pk]
    request.session[OWN_COMMENTS] = [*ids, comment.pk][-OWN_LIMIT:]
    request.session[COMMENTER] = {
        "name": comment.name,
        "email": comment.email,
        "notify_replies": comment.notify_replies,
    }


def comment_context(request, article, form=None):
    """What the article page needs for its comments section and form."""
    approved = list(Comment.objects.for_page(article))
    reply_to = None
    if form is None and article.comments_open:
        wanted = request.GET.get("reply_to", "")
        if is_number(wanted):
            reply_to = next((c for c in approved if c.pk == int(wanted)), None)
        remembered = getattr(request, "session", {}).get(COMMENTER, {})
        for_cache = getattr(request, "_for_page_cache", False)
        form = CommentForm(
            article=article, reply_to=reply_to, initial=remembered, for_cache=for_cache
        )
    elif form is not None:
        reply_to = form.reply_to
    return {
        "comment_threads": build_threads(approved, own_pending(request, article)),
        "comment_form": form,
        "reply_to": reply_to,
    }
