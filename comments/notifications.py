"""Emails about comments: composed by the worker once the change that queued them commits.

moderation.py queues these with `outbox.queue.enqueue` in the same transaction as the
change, so a comment is never lost to a mail failure and an email is never lost to a crash:
the outbox retries until the mail server takes it.
"""

from django.contrib.auth import get_user_model
from django.core import signing
from django.db.models import Q
from django.urls import reverse

from comments.models import Comment
from outbox.messages import Message, absolute, one_line, render
from outbox.queue import composer

UNSUBSCRIBE_SALT = "comments.unsubscribe"


def unsubscribe_token(comment):
    return signing.dumps(comment.pk, salt=UNSUBSCRIBE_SALT)


def comment_for_token(token):
    """Return the id of the comment an unsubscribe token was made for, or None."""
    try:
        return int(signing.loads(token, salt=UNSUBSCRIBE_SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return None


def moderators():
    """Active staff who may moderate comments and have an email address."""
    can_moderate = Q(groups__permissions__codename="moderate_comment") | Q(
        user_permissions__codename="moderate_comment"
    )
    users = get_user_model().objects.filter(is_active=True, is_staff=True).exclude(email="")
    return users.filter(can_moderate | Q(is_superuser=True)).distinct()


@composer
def comment_held(comment_id):
    """Tell each moderator that a comment waits for review, with a link to it in the admin."""
    comment = (
        Comment.objects.filter(pk=comment_id, status=Comment.Status.PENDING)
        .select_related("article", "parent")
        .first()
    )
    if comment is None:  # moderated or deleted before the worker came to it
        return []
    context = {
        "comment": comment,
        "article": comment.article,
        "admin_url": absolute(comment.get_admin_url()),
        "queue_url": absolute(reverse("admin:comments_comment_changelist")),
    }
    subject = one_line(f"Comment waiting for review on “{comment.article.title}”")
    text, html = render("comments/email/comment_held", context)
    return [
        Message(
            key=f"comment-held:{comment.pk}:{moderator.pk}",
            kind="comment held",
            to=moderator.email,
            subject=subject,
            text=text,
            html=html,
        )
        for moderator in moderators()
    ]


@composer
def replies_published(reply_ids):
    """Tell the writers of the comments these replies answer, if they asked to hear."""
    replies = Comment.objects.filter(pk__in=reply_ids, status=Comment.Status.APPROVED)
    replies = replies.select_related("article", "parent").order_by("pk")
    return [message for reply in replies if (message := reply_message(reply))]


def reply_message(reply):
    parent = reply.parent
    if parent is None or not parent.notify_replies or parent.is_staff_reply:
        return None
    if not parent.email or parent.email.lower() == reply.email.lower():
        return None
    unsubscribe_url = absolute(reverse("comments:unsubscribe", args=[unsubscribe_token(parent)]))
    context = {
        "reply": reply,
        "parent": parent,
        "article": reply.article,
        "reply_url": absolute(reply.get_absolute_url()),
        "unsubscribe_url": unsubscribe_url,
    }
    who = f"{reply.name} (staff)" if reply.is_staff_reply else reply.name
    text, html = render("comments/email/reply_published", context)
    return Message(
        key=f"reply-published:{reply.pk}",
        kind="reply published",
        to=parent.email,
        subject=one_line(f"{who} replied to your comment on “{reply.article.title}”"),
        text=text,
        html=html,
        unsubscribe_url=unsubscribe_url,
    )
