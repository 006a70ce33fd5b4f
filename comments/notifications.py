"""Emails about comments. Each is sent after its transaction commits; a failure is logged.

A comment is already safely stored when these run, so a mail server that is down costs an
email, never a comment. Mail goes out on a thread of its own (EMAIL_IN_BACKGROUND), so a
slow or hanging mail server never holds up the reader's page either.
"""

import logging
import threading

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMessage, get_connection
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse

logger = logging.getLogger("alsblog.comments")
UNSUBSCRIBE_SALT = "comments.unsubscribe"


def absolute(path):
    return settings.SITE_URL.rstrip("/") + path


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


def _deliver(messages):
    try:
        with get_connection() as connection:
            connection.send_messages(messages)
    except Exception:
        for message in messages:
            logger.exception("Could not send the email “%s” to %s", message.subject, message.to)


def send(messages):
    """Send `messages` over one connection, in the background unless settings say not to."""
    if not messages:
        return
    if settings.EMAIL_IN_BACKGROUND:
        threading.Thread(target=_deliver, args=(messages,), name="alsblog-mail").start()
    else:
        _deliver(messages)


def one_line(text):
    return " ".join(str(text).split())


def comment_held(comment):
    """Tell each moderator that `comment` waits for review, with a link to it in the admin."""
    context = {
        "comment": comment,
        "article": comment.article,
        "admin_url": absolute(comment.get_admin_url()),
        "queue_url": absolute(reverse("admin:comments_comment_changelist")),
    }
    subject = one_line(f"Comment waiting for review on “{comment.article.title}”")
    body = render_to_string("comments/email/comment_held.txt", context)
    send([EmailMessage(subject, body, to=[moderator.email]) for moderator in moderators()])


def reply_published(reply):
    """Tell the writer of the comment `reply` answers, if they asked to hear about replies."""
    parent = reply.parent
    if parent is None or not parent.notify_replies or parent.is_staff_reply:
        return
    if parent.email.lower() == reply.email.lower():
        return
    unsubscribe_url = absolute(reverse("comments:unsubscribe", args=[unsubscribe_token(parent)]))
    context = {
        "reply": reply,
        "parent": parent,
        "article": reply.article,
        "reply_url": absolute(reply.get_absolute_url()),
        "unsubscribe_url": unsubscribe_url,
    }
    who = f"{reply.name} (staff)" if reply.is_staff_reply else reply.name
    message = EmailMessage(
        one_line(f"{who} replied to your comment on “{reply.article.title}”"),
        render_to_string("comments/email/reply_published.txt", context),
        to=[parent.email],
        headers={"List-Unsubscribe": f"<{unsubscribe_url}>"},
    )
    send([message])
