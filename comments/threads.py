"""Arrange an article's comments into the threads its page shows."""

import math
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q

from comments.models import Comment, depth_under


@dataclass
class Node:
    comment: Comment
    pending: bool = False
    depth: int = 0
    reply_to_name: str = ""
    # For the writer of a pending comment a flag category holds: what it tells them
    # (comments/reader_help.py), shown above the comment.
    help: list = field(default_factory=list)
    children: list = field(default_factory=list)
    siblings: list = field(default=None, repr=False)  # the list this node is shown in


def build_threads(comments, pending=(), help_for=None):
    """Return the top-level nodes of `comments`, oldest first, replies nested under them.

    `pending` are the visitor's own comments waiting for a moderator; `help_for` maps the
    id of one of them to the help its writer is shown above it.

    Replies nest up to MAX_DEPTH levels; a reply to a comment at the deepest level is shown
    at that level, after it, saying whom it answers. A reply whose parent is not shown (not
    approved, or no longer) is shown as a top-level comment.
    """
    pending_ids = {comment.pk for comment in pending}
    ordered = sorted([*comments, *pending], key=lambda comment: (comment.created_at, comment.pk))
    nodes, roots = {}, []
    for comment in ordered:
        node = Node(comment, pending=comment.pk in pending_ids)
        if node.pending and help_for:
            node.help = help_for.get(comment.pk, [])
        parent = nodes.get(comment.parent_id)
        if parent is None:
            node.siblings = roots
        else:
            node.depth = depth_under(parent)
            if node.depth > parent.depth:
                node.siblings = parent.children
            else:  # its parent is at the deepest level: shown after it, saying whom it answers
                node.reply_to_name = parent.comment.name
                node.siblings = parent.siblings
        node.siblings.append(node)
        nodes[comment.pk] = node
    return roots


class NoSuchPage(Exception):
    """The page number asked for is not one of the conversation's pages."""


@dataclass
class ConversationPage:
    """One page of an article's conversations: whole threads, oldest first."""

    number: int
    page_count: int
    comments: list  # the approved comments of this page's conversations, oldest first

    @property
    def is_last(self):
        return self.number == self.page_count

    @property
    def numbers(self):
        """The page numbers to link: the first, the last and two either side of this one,
        with None where numbers are left out."""
        near = range(max(1, self.number - 2), min(self.page_count, self.number + 2) + 1)
        shown = sorted({1, self.page_count, *near})
        numbers = []
        for number in shown:
            if numbers and number > numbers[-1] + 1:
                numbers.append(None)
            numbers.append(number)
        return numbers

    def shows(self, comment, public_conversations):
        """Does this page hold the conversation `comment` belongs to (or would start)?

        `public_conversations` holds the keys of the conversations with an approved comment
        (on any page): a reply to one with none left comes last, as page_number_of says.
        """
        key = comment.thread_id or comment.parent_id
        if comment.parent_id is None or key not in public_conversations:
            return self.is_last  # a new conversation comes after every other
        return key in {shown.thread_id or shown.pk for shown in self.comments}


def conversation_page(article, number):
    """Page `number` of `article`'s conversations, COMMENTS_PER_PAGE of them a page.

    Two queries, however many comments there are: one counts the conversations, one
    reads the comments of the page's conversations.
    """
    per_page = settings.COMMENTS_PER_PAGE
    conversations = Comment.objects.conversations(article)
    page_count = max(1, math.ceil(conversations.count() / per_page))
    if not 1 <= number <= page_count:
        raise NoSuchPage(number)
    comments = Comment.objects.for_page(article)
    if page_count > 1:
        start = (number - 1) * per_page
        keys = conversations[start : start + per_page].values("key")
        comments = comments.filter(Q(pk__in=keys) | Q(thread_id__in=keys))
    return ConversationPage(number, page_count, list(comments))


def page_number_of(comment):
    """The number of the page that shows `comment`'s conversation (as WordPress's
    get_page_of_comment): a comment that starts a new conversation belongs on the last."""
    per_page = settings.COMMENTS_PER_PAGE
    conversations = Comment.objects.conversations(comment.article_id)
    key = comment.thread_id or comment.pk
    first = conversations.filter(key=key).values_list("first", flat=True).first()
    if first is None:  # its conversation has nothing approved yet: it comes last
        return max(1, math.ceil(conversations.count() / per_page))
    before = conversations.filter(Q(first__lt=first) | Q(first=first, key__lt=key)).count()
    return before // per_page + 1


def address_of(comment, page_number=None):
    """The address of `comment` on its article's page: the right page, at the comment."""
    number = page_number_of(comment) if page_number is None else page_number
    query = f"?page={number}" if number > 1 else ""
    return f"{comment.article.get_absolute_url()}{query}#comment-{comment.pk}"
