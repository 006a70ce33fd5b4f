"""Every change to a comment goes through here: submission, moderation and staff replies.

Nothing a reader writes is public until staff approve it. Submission screens a comment:
some things refuse it outright (flooding, an exact duplicate), and others record why a
moderator should look closely (links, a blocklisted word, a first comment, a form sent
inhumanly fast). Emails are queued in the outbox in the same transaction as the change
(outbox/), so a mail failure never loses a comment, and a crash never loses an email.
"""

import re
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from articles.models import Article
from comments import notifications
from comments.models import MAX_DEPTH, BlockedWord, Comment
from comments.text import count_links
from outbox import queue as outbox
from pagecache.versions import bump

Status = Comment.Status


class Refused(Exception):
    """The comment was not stored; `message` tells the reader why and what to do."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


def submit(comment, *, article, form_age=None, honeypot=False, ip_address=None, user_agent=""):
    """Store a reader's unsaved comment as pending (or spam); return it.

    Raises Refused when the comment must not be stored at all.
    """
    comment.article = article
    comment.ip_address = ip_address
    comment.user_agent = (user_agent or "")[:300]
    comment.depth = 0 if comment.parent is None else min(comment.parent.depth + 1, MAX_DEPTH - 1)
    with transaction.atomic():
        refuse_floods_and_duplicates(comment)
        comment.held_reasons = held_reasons(comment, form_age=form_age, honeypot=honeypot)
        if honeypot:
            comment.status = Status.SPAM
        elif (
            settings.COMMENTS_AUTO_APPROVE_KNOWN
            and is_known(comment.email)
            and not any(reason != FIRST_COMMENT for reason in comment.held_reasons)
        ):
            comment.status = Status.APPROVED
        else:
            comment.status = Status.PENDING
        comment.full_clean(exclude=["parent"])
        comment.save()
        if comment.status == Status.APPROVED:
            refresh_counts([article.pk])
            if comment.parent_id:
                outbox.enqueue(notifications.replies_published, reply_ids=[comment.pk])
        elif comment.status == Status.PENDING:
            outbox.enqueue(notifications.comment_held, comment_id=comment.pk)
    return comment


def refuse_floods_and_duplicates(comment):
    since = timezone.now() - timedelta(seconds=settings.COMMENTS_FLOOD_SECONDS)
    recent = Comment.objects.filter(created_at__gte=since)
    # Two indexed lookups rather than one OR, which a database may answer with a full scan.
    if recent.filter(email=comment.email).exists() or (
        comment.ip_address and recent.filter(ip_address=comment.ip_address).exists()
    ):
        raise Refused(
            f"Please wait {settings.COMMENTS_FLOOD_SECONDS} seconds between comments, then "
            "press “Post comment” again. Your comment is still here."
        )
    duplicate = Comment.objects.filter(
        email=comment.email, article=comment.article, body=comment.body
    )
    if duplicate.exists():
        raise Refused("You have already posted this comment on this article.", field="body")


FIRST_COMMENT = "First comment from this email address"


def held_reasons(comment, *, form_age=None, honeypot=False):
    """Return why a moderator should look closely at `comment`, in words they can read."""
    reasons = []
    if honeypot:
        reasons.append("Filled in the hidden field that only robots see")
    if form_age is not None and form_age < settings.COMMENTS_MIN_SECONDS:
        reasons.append(f"Sent {form_age:.1f} seconds after the page loaded: too fast for a person")
    if not is_known(comment.email):
        reasons.append(FIRST_COMMENT)
    links = count_links(comment.body) + count_links(comment.name)
    if links > settings.COMMENTS_MAX_LINKS:
        reasons.append(f"Contains {links} links (more than {settings.COMMENTS_MAX_LINKS})")
    for phrase in blocked_phrases_in(f"{comment.name} {comment.email} {comment.body}"):
        reasons.append(f"Contains the blocklisted word “{phrase}”")
    return reasons


def is_known(email):
    """Has someone with this email address had a comment approved before?"""
    return Comment.objects.filter(
        email=email.lower(), status=Status.APPROVED, is_staff_reply=False
    ).exists()


def blocked_phrases_in(text):
    text = text.lower()
    return [
        phrase
        for phrase in BlockedWord.objects.values_list("phrase", flat=True)
        if re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text)
    ]


def approve(comments, *, by):
    """Publish the comments among `comments` that are not yet public; return how many."""
    return _moderate(comments, Status.APPROVED, by=by)


def reject(comments, *, by):
    return _moderate(comments, Status.REJECTED, by=by)


def mark_spam(comments, *, by):
    return _moderate(comments, Status.SPAM, by=by)


def _moderate(comments, status, *, by):
    with transaction.atomic():
        changing = list(comments.exclude(status=status).only("article", "parent"))
        if not changing:
            return 0
        Comment.objects.filter(pk__in=[c.pk for c in changing]).update(
            status=status, moderated_by=by, moderated_at=timezone.now()
        )
        refresh_counts({comment.article_id for comment in changing})
        if status == Status.APPROVED:
            replies = [comment.pk for comment in changing if comment.parent_id]
            if replies:
                outbox.enqueue(notifications.replies_published, reply_ids=replies)
    return len(changing)


def reply_problem(parent):
    """Why staff cannot reply under `parent` in public, or "" if they can."""
    if parent.status == Status.REJECTED:
        return "This comment is rejected. Approve it first if you want to answer it in public."
    if parent.status == Status.SPAM:
        return "This comment is marked as spam. Approve it first to answer it in public."
    return ""


def reply(parent, *, by, body):
    """Post `by`'s approved staff reply under `parent`, approving `parent` if it waits.

    Raises Refused for a rejected or spam parent: a reply would publish it.
    """
    problem = reply_problem(parent)
    if problem:
        raise Refused(problem)
    with transaction.atomic():
        if parent.status == Status.PENDING:
            approve(Comment.objects.filter(pk=parent.pk), by=by)
            parent.refresh_from_db()
        name_field = Comment._meta.get_field("name")
        staff_reply = Comment(
            article=parent.article,
            parent=parent,
            depth=min(parent.depth + 1, MAX_DEPTH - 1),
            name=(by.get_full_name() or by.get_username())[: name_field.max_length],
            email=by.email or settings.DEFAULT_FROM_EMAIL,
            body=body.strip(),
            status=Status.APPROVED,
            is_staff_reply=True,
            staff_author=by,
            moderated_by=by,
            moderated_at=timezone.now(),
        )
        staff_reply.full_clean(exclude=["parent", "email"])
        staff_reply.save()
        refresh_counts([parent.article_id])
        outbox.enqueue(notifications.replies_published, reply_ids=[staff_reply.pk])
    return staff_reply


def stop_conversation_emails(comment):
    """Stop emails about replies to `comment`; return 1 if they were on, else 0."""
    return Comment.objects.filter(pk=comment.pk, notify_replies=True).update(notify_replies=False)


def stop_reply_emails(email):
    """Turn off reply emails for every comment from `email`; return how many changed."""
    return Comment.objects.filter(email=email.lower(), notify_replies=True).update(
        notify_replies=False
    )


def refresh_counts(article_ids):
    """Store each article's number of approved comments, and mark cached pages stale.

    Every step that changes what the public sees of comments ends here.
    """
    approved = (
        Comment.objects.approved()
        .filter(article=OuterRef("pk"))
        .order_by()
        .values("article")
        .annotate(total=Count("pk"))
        .values("total")
    )
    Article.objects.filter(pk__in=list(article_ids)).update(
        comment_count=Coalesce(Subquery(approved), Value(0))
    )
    bump()


def purge_metadata(*, older_than_days=None):
    """Forget IP addresses and browser names older than the keeping period; return how many."""
    days = settings.COMMENTS_KEEP_METADATA_DAYS if older_than_days is None else older_than_days
    cutoff = timezone.now() - timedelta(days=days)
    stale = Comment.objects.filter(created_at__lt=cutoff).exclude(ip_address=None, user_agent="")
    return stale.update(ip_address=None, user_agent="")
