"""Load the demo conversation: approved comments with a staff reply, and a queue to clear."""

from datetime import timedelta

from django.db import transaction

from articles.demo_content import TOFERSEN_SLUG
from articles.models import Article
from comments import moderation
from comments.demo_content import (
    BLOCKED_WORDS,
    CAREGIVING_CONVERSATION,
    CONVERSATION,
    SAVED_REPLIES,
)
from comments.models import MAX_DEPTH, BlockedWord, Comment, SavedReply

CAREGIVING_SLUG = "caring-for-the-carer-small-things-that-help"


@transaction.atomic
def load(moderator):
    """Add the demo comments once; return how many were added."""
    for title, body in SAVED_REPLIES:
        SavedReply.objects.get_or_create(title=title, defaults={"body": body})
    for phrase in BLOCKED_WORDS:
        BlockedWord.objects.get_or_create(phrase=phrase)
    added = 0
    for slug, conversation in (
        (TOFERSEN_SLUG, CONVERSATION),
        (CAREGIVING_SLUG, CAREGIVING_CONVERSATION),
    ):
        article = Article.objects.filter(slug=slug).first()
        if article is None or article.publish_at is None or article.comments.exists():
            continue
        added += load_conversation(article, conversation, moderator)
        moderation.refresh_counts([article.pk])
    return added


def load_conversation(article, conversation, moderator):
    made = {}
    for key, parent_key, name, email, hours, status, staff, body in conversation:
        parent = made.get(parent_key)
        when = article.publish_at + timedelta(hours=hours)
        comment = Comment(
            article=article,
            parent=parent,
            depth=0 if parent is None else min(parent.depth + 1, MAX_DEPTH - 1),
            name=moderator.get_full_name() if staff else name,
            email=moderator.email if staff else email,
            body=body,
            created_at=when,
            is_staff_reply=staff,
            staff_author=moderator if staff else None,
            notify_replies=not staff,
            ip_address=None if staff else "192.0.2.10",
            user_agent="" if staff else "Mozilla/5.0 (demo)",
        )
        if not staff:
            comment.held_reasons = moderation.held_reasons(comment)
        comment.status = status
        if status == Comment.Status.APPROVED:
            comment.moderated_by, comment.moderated_at = moderator, when + timedelta(hours=1)
        comment.save()
        made[key] = comment
    return len(made)
