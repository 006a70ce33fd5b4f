"""Commenters' personal data: what we hold for an email address, handed over or erased.

Like WordPress's personal-data tools: staff export everything stored with an address, or
erase it. Erasing anonymises by default (the comment text stays, so conversations still
read; name, email, IP address and browser go); deleting removes the comments altogether.
"""

from django.db import transaction
from django.utils import timezone

from comments import moderation
from comments.models import Comment

ANONYMOUS = "Anonymous"


def comments_of(email):
    return (
        Comment.objects.filter(email=email.strip().lower(), is_staff_reply=False)
        .select_related("article")
        .order_by("created_at")
    )


def export(email, *, request=None):
    """Everything stored with `email`, as data a person can be handed (JSON-ready)."""

    def url(comment):
        path = comment.get_absolute_url()
        return request.build_absolute_uri(path) if request else path

    return {
        "email": email.strip().lower(),
        "exported_at": timezone.now().isoformat(),
        "comments": [
            {
                "id": comment.pk,
                "article": comment.article.title,
                "url": url(comment),
                "in_reply_to": comment.parent_id,
                "name": comment.name,
                "email": comment.email,
                "comment": comment.body,
                "status": comment.get_status_display(),
                "submitted_at": comment.created_at.isoformat(),
                "email_me_about_replies": comment.notify_replies,
                "ip_address": comment.ip_address,
                "browser": comment.user_agent,
            }
            for comment in comments_of(email)
        ],
    }


def anonymise(email):
    """Remove name, email, IP address and browser from every comment of `email`."""
    with transaction.atomic():
        comments = comments_of(email)
        ids = list(comments.values_list("pk", flat=True))
        article_ids = set(comments.values_list("article_id", flat=True))
        count = Comment.objects.filter(pk__in=ids).update(
            name=ANONYMOUS, email="", ip_address=None, user_agent="", notify_replies=False
        )
        _forget_in_admin_history(ids, f"{ANONYMOUS}: (anonymised)")
        moderation.refresh_counts(article_ids)  # their names show on public pages
    return count


def delete(email):
    """Delete every comment of `email`; return how many.

    Other people's replies to them stay, moved up to where the deleted comment was.
    """
    with transaction.atomic():
        comments = list(comments_of(email))
        ids = {comment.pk for comment in comments}
        for comment in sorted(comments, key=lambda c: c.depth, reverse=True):
            Comment.objects.filter(parent=comment).exclude(pk__in=ids).update(
                parent=comment.parent_id, depth=comment.depth
            )
        Comment.objects.filter(pk__in=ids).delete()
        _forget_in_admin_history(ids, "(deleted on request)")
        moderation.refresh_counts({comment.article_id for comment in comments})
    return len(ids)


def _forget_in_admin_history(comment_ids, label):
    """The admin's history names each comment it logs: those names go too."""
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Comment),
        object_id__in=[str(pk) for pk in comment_ids],
    ).update(object_repr=label, change_message="")
