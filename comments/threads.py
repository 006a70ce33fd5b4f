"""Arrange an article's comments into the threads its page shows."""

from dataclasses import dataclass, field

from comments.models import MAX_DEPTH, Comment


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
