"""Every change that forgets something about a commenter goes through here: what the
keeping period covers, once it is over, and a person's comments, anonymised or deleted at
their request (comments/privacy.py takes the request).
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from comments import moderation
from comments.models import Comment, Event
from outbox import queue as outbox
from outbox.models import Email

Kind = Event.Kind
ANONYMOUS = "Anonymous"
# Emails to moderators that quote comments, forgotten with the comments' metadata.
ALERT_KINDS = ["comment held", "urgent comment held", "moderator digest"]


def purge_metadata(*, older_than_days=None):
    """Forget what the keeping period covers; return how many comments lost some of it.

    That is IP addresses, browser names, the writer's own words where a moderator edited
    what the public reads (in the comment and in its history), and the moderators' emails
    that quoted comments.
    """
    days = settings.COMMENTS_KEEP_METADATA_DAYS if older_than_days is None else older_than_days
    cutoff = timezone.now() - timedelta(days=days)
    stale = Comment.objects.filter(created_at__lt=cutoff)
    with transaction.atomic():
        count = stale.exclude(ip_address=None, user_agent="", original_body="").update(
            ip_address=None, user_agent="", original_body=""
        )
        # The moderators' alerts and digests quoted comments as they were sent: they go too.
        outbox.forget(Email.objects.filter(kind__in=ALERT_KINDS, created_at__lt=cutoff))
        old = Q(comment__created_at__lt=cutoff) | Q(comment=None, at__lt=cutoff)
        Event.objects.filter(old, kind=Kind.EDITED).exclude(text_before="").update(text_before="")
        Event.objects.filter(old, kind=Kind.DELETED).exclude(note="").update(note="")
    return count


def anonymise(comments):
    """Remove name, email, IP address and browser from `comments`; return how many."""
    with transaction.atomic():
        ids = list(comments.values_list("pk", flat=True))
        article_ids = set(comments.values_list("article_id", flat=True))
        count = Comment.objects.filter(pk__in=ids).update(
            name=ANONYMOUS, email="", ip_address=None, user_agent="", notify_replies=False,
            original_body="",
        )  # fmt: skip
        _forget_in_admin_history(ids, f"{ANONYMOUS}: (anonymised)")
        _forget_in_moderation_history(ids)
        moderation.refresh_counts(article_ids)  # their names show on public pages
    return count


def delete(comments):
    """Delete `comments` at their writer's request; return how many.

    Other people's replies to them stay, moved up to where the deleted comment was.
    """
    with transaction.atomic():
        comments = list(comments)
        ids = {comment.pk for comment in comments}
        for comment in sorted(comments, key=lambda c: c.depth, reverse=True):
            Comment.objects.filter(parent=comment).exclude(pk__in=ids).update(
                parent=comment.parent_id, depth=comment.depth
            )
        for comment in comments:
            if comment.thread_id is None:
                _start_new_conversations(comment, ids)
        Comment.objects.filter(pk__in=ids).delete()
        _forget_in_admin_history(ids, "(deleted on request)")
        _forget_in_moderation_history(ids)
        moderation.refresh_counts({comment.article_id for comment in comments})
    return len(ids)


def _start_new_conversations(first, deleted_ids):
    """The first comment of a conversation goes: the replies it had start conversations."""
    left = dict(
        Comment.objects.filter(thread=first).exclude(pk__in=deleted_ids).values_list("pk", "parent")
    )
    by_first = {}
    for pk in left:
        top = pk
        while left.get(top) in left:
            top = left[top]
        by_first.setdefault(top, []).append(pk)
    for top, members in by_first.items():
        Comment.objects.filter(pk=top).update(thread=None)
        Comment.objects.filter(pk__in=[pk for pk in members if pk != top]).update(thread=top)


def _forget_in_moderation_history(comment_ids):
    """Keep what was done to the comments, and forget what their rows quote of the person:
    the text before a redaction, a private answer, a deleted comment's words."""
    Event.objects.filter(comment_number__in=list(comment_ids)).update(
        note="", text_before="", text_after=""
    )


def _forget_in_admin_history(comment_ids, label):
    """The admin's history names each comment it logs: those names go too."""
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Comment),
        object_id__in=[str(pk) for pk in comment_ids],
    ).update(object_repr=label, change_message="")
