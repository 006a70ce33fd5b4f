"""Emails about comments: composed by the worker once the change that queued them commits.

moderation.py queues these with `outbox.queue.enqueue` in the same transaction as the
change, so a comment is never lost to a mail failure and an email is never lost to a crash:
the outbox retries until the mail server takes it.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.permissions import can_publish
from comments import email_links, reader_help
from comments.models import Comment, Event, FlagCategory, ModeratorSettings
from outbox.messages import Message, absolute, one_line, render
from outbox.queue import composer
from pages.models import SiteDetails

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


def wants_each_alert(moderator, comment):
    """Does this moderator want an email now about `comment`, by their own settings?"""
    chosen = getattr(moderator, "moderator_settings", None)
    alerts = chosen.alerts if chosen else ModeratorSettings.Alerts.EACH
    return comment.is_urgent or alerts == ModeratorSettings.Alerts.EACH


@composer
def comment_held(comment_id):
    """Tell moderators that a comment waits for review, with a link to it in the admin.

    Each moderator chooses (ModeratorSettings): an email per comment, or only the daily
    digest; urgent comments reach every moderator at once whatever they chose.
    """
    comment = (
        Comment.objects.filter(pk=comment_id, status=Comment.Status.PENDING)
        .select_related("article", "parent")
        .first()
    )
    if comment is None:  # moderated or deleted before the worker came to it
        return []
    guidance = FlagCategory.objects.guidance_for(comment).filter(is_urgent=True)
    details = SiteDetails.load()
    context = {
        "comment": comment,
        "article": comment.article,
        "guidance": [help for _category, help in reader_help.for_staff(guidance, details)],
        "admin_url": absolute(comment.get_admin_url()),
        "queue_url": absolute(reverse("admin:comments_comment_changelist")),
        "settings_url": absolute(reverse("admin:comments_moderator_settings")),
    }
    title = comment.article.title
    subject = (
        f"Urgent: a comment needs you today on “{title}”"
        if comment.is_urgent
        else (f"Comment waiting for review on “{title}”")
    )
    messages = []
    for moderator in moderators().select_related("moderator_settings"):
        if not wants_each_alert(moderator, comment):
            continue
        links = email_links.for_moderator(moderator, [comment])[comment.pk]
        text, html = render("comments/email/comment_held", {**context, "links": links})
        messages.append(
            Message(
                # Flagged urgent after its first alert, a comment alerts everyone again.
                key=f"comment-held:{comment.pk}:{moderator.pk}"
                + (":urgent" if comment.is_urgent else ""),
                kind="urgent comment held" if comment.is_urgent else "comment held",
                to=moderator.email,
                subject=one_line(subject),
                text=text,
                html=html,
            )
        )
    return messages


DIGEST_LENGTH = 50  # comments listed in a digest; the rest are counted, with a link
DIGEST_REVIEWS = 10  # articles due for review listed in a digest; the rest are counted


def queue_counts():
    waiting = Comment.objects.pending()
    return {
        "waiting": waiting.count(),
        "urgent": waiting.filter(is_urgent=True).count(),
        "questions": Comment.objects.questions_for_staff().count(),
    }


def reviews_due():
    """The articles due for review, longest overdue first, up to DIGEST_REVIEWS; and how many
    there are in all."""
    due = Article.objects.due_for_review().order_by("last_reviewed", "pk")
    listed = [
        {"article": article, "admin_url": absolute(admin_change_url(article))}
        for article in due.only("title", "last_reviewed")[:DIGEST_REVIEWS]
    ]
    return listed, due.count()


def admin_change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


@composer
def moderator_digest(day):
    """The daily email to moderators who chose it: what waits, oldest first, with links; and,
    to those who may edit every article, the articles due for review.

    Sent on a day when either waits: articles due for review with no comment waiting still
    make a digest (to those who may act on them).
    """
    waiting = Comment.objects.pending().select_related("article").order_by("created_at", "pk")
    listed = list(waiting[:DIGEST_LENGTH])
    reviews, reviews_count = reviews_due()
    if not listed and not reviews:
        return []
    counts = queue_counts()
    context = {
        "counts": counts,
        "more": max(counts["waiting"] - len(listed), 0),
        "queue_url": absolute(reverse("admin:comments_comment_changelist")),
        "oldest_url": absolute(reverse("admin:comments_comment_changelist") + "?order=oldest"),
        "settings_url": absolute(reverse("admin:comments_moderator_settings")),
    }
    about_comments = f"{counts['waiting']} comment(s) waiting for review"
    if counts["urgent"]:
        about_comments += f", {counts['urgent']} urgent"
    about_reviews = f"{reviews_count} article(s) due for review"
    messages = []
    daily = moderators().filter(moderator_settings__alerts=ModeratorSettings.Alerts.DAILY)
    for moderator in daily:
        # Moderators who may not edit every article get no list of articles to review.
        shown_reviews = reviews if can_publish(moderator) else []
        if not listed and not shown_reviews:
            continue
        links = email_links.for_moderator(moderator, listed)
        items = [
            {"comment": c, "links": links[c.pk], "admin_url": absolute(c.get_admin_url())}
            for c in listed
        ]
        subject = "; ".join(
            part
            for part, shown in [(about_comments, listed), (about_reviews, shown_reviews)]
            if shown
        )
        reviews_context = {
            "reviews": shown_reviews,
            "reviews_count": reviews_count if shown_reviews else 0,
            "reviews_more": reviews_count - len(shown_reviews) if shown_reviews else 0,
            "reviews_url": absolute(reverse("admin:articles_article_changelist") + "?review=due"),
        }
        text, html = render(
            "comments/email/moderator_digest", {**context, **reviews_context, "items": items}
        )
        messages.append(
            Message(
                key=f"moderator-digest:{day}:{moderator.pk}",
                kind="moderator digest",
                to=moderator.email,
                subject=one_line(subject),
                text=text,
                html=html,
            )
        )
    return messages


@composer
def replies_published(reply_ids):
    """Tell the writers of the comments these replies answer, if they asked to hear."""
    replies = Comment.objects.filter(pk__in=reply_ids, status=Comment.Status.APPROVED)
    replies = replies.select_related("article", "parent").order_by("pk")
    return [message for reply in replies if (message := reply_message(reply))]


def unsubscribe_url(comment):
    """The link that stops emails about `comment`'s conversation (one click, RFC 8058)."""
    return absolute(reverse("comments:unsubscribe", args=[unsubscribe_token(comment)]))


def to_writer(comment, *, key, kind, subject, template, headers=None, **context):
    """An email about `comment` to its writer, with that conversation's one-click unsubscribe.

    The templates get `comment`, its `article` and `article_url`, `unsubscribe_url`, and
    whatever else `context` adds.
    """
    link = unsubscribe_url(comment)
    context = {
        "comment": comment,
        "article": comment.article,
        "article_url": absolute(comment.article.get_absolute_url()),
        "unsubscribe_url": link,
        **context,
    }
    text, html = render(template, context)
    return Message(
        key=key,
        kind=kind,
        to=comment.email,
        subject=one_line(subject),
        text=text,
        html=html,
        unsubscribe_url=link,
        headers=headers or {},
    )


@composer
def comment_received(comment_id):
    """Tell the writer of a comment a flag category holds, if they asked for emails, that it
    arrived, with what that category tells them (comments/reader_help.py): the help they were
    shown on the page, to keep."""
    comment = (
        Comment.objects.filter(pk=comment_id, notify_replies=True)
        .exclude(email="")
        .select_related("article")
        .first()
    )
    if comment is None:  # deleted, or the writer stopped emails, before the worker came to it
        return []
    categories = FlagCategory.objects.filter(is_active=True)
    helps = reader_help.for_flags(comment.flags, categories, SiteDetails.load())
    if not helps:
        return []
    return [
        to_writer(
            comment,
            key=f"comment-received:{comment.pk}",
            kind="comment received",
            subject=f"We have your comment on “{comment.article.title}”",
            template="comments/email/comment_received",
            helps=helps,
        )
    ]


@composer
def comments_published(comment_ids):
    """Tell each writer who asked that their comment is now live, with its link."""
    comments = Comment.objects.filter(
        pk__in=comment_ids, status=Comment.Status.APPROVED, notify_replies=True
    )
    comments = comments.exclude(email="").filter(is_staff_reply=False).select_related("article")
    return [
        to_writer(
            comment,
            key=f"comment-published:{comment.pk}",
            kind="comment published",
            subject=f"Your comment is now live on “{comment.article.title}”",
            template="comments/email/comment_published",
            comment_url=absolute(comment.get_absolute_url()),
        )
        for comment in comments
    ]


@composer
def comment_not_published(comment_id):
    """Tell a writer, kindly, why their comment was not published: the reason staff chose."""
    event = (
        Event.objects.filter(comment_id=comment_id, kind=Event.Kind.REJECTED, reason__isnull=False)
        .select_related("reason", "comment__article")
        .order_by("-at", "-id")
        .first()
    )
    if event is None or event.comment.status != Comment.Status.REJECTED:
        return []  # approved again, or deleted, before the worker came to it
    comment = event.comment
    if not comment.email:
        return []
    return [
        to_writer(
            comment,
            key=f"comment-not-published:{comment.pk}",
            kind="comment not published",
            subject=f"About your comment on “{comment.article.title}”",
            template="comments/email/comment_not_published",
            reason=event.reason,
        )
    ]


@composer
def private_reply(event_id):
    """Send a moderator's private answer to a comment's writer."""
    event = (
        Event.objects.filter(pk=event_id, kind=Event.Kind.REPLIED_PRIVATELY)
        .select_related("comment__article", "by")
        .first()
    )
    if event is None or event.comment is None or not event.comment.email:
        return []
    comment = event.comment
    return [
        to_writer(
            comment,
            key=f"private-reply:{event.pk}",
            kind="private reply",
            subject=f"An answer to your comment on “{comment.article.title}”",
            template="comments/email/private_reply",
            headers={"Reply-To": event.by.email} if event.by and event.by.email else None,
            answer=event.note,
            who=event.who,
        )
    ]


def reply_message(reply):
    parent = reply.parent
    if parent is None or not parent.notify_replies or parent.is_staff_reply:
        return None
    if not parent.email or parent.email.lower() == reply.email.lower():
        return None
    who = f"{reply.name} (staff)" if reply.is_staff_reply else reply.name
    return to_writer(
        parent,
        key=f"reply-published:{reply.pk}",
        kind="reply published",
        subject=f"{who} replied to your comment on “{reply.article.title}”",
        template="comments/email/reply_published",
        reply=reply,
        parent=parent,
        reply_url=absolute(reply.get_absolute_url()),
    )


@composer
def ceiling_reached(hour):
    """Tell every moderator that new comments are paused: more arrive than the site takes.

    Sent once an hour at most (the key), whichever process saw the ceiling first.
    """
    since = timezone.now() - timedelta(minutes=10)
    context = {
        "ceiling": settings.COMMENTS_MAX_PER_MINUTE,
        "recent": Comment.objects.filter(created_at__gte=since).count(),
        "queue_url": absolute(reverse("admin:comments_comment_changelist")),
    }
    text, html = render("comments/email/ceiling_reached", context)
    subject = f"New comments paused: more than {context['ceiling']} a minute are arriving"
    return [
        Message(
            key=f"comment-ceiling:{hour}:{moderator.pk}",
            kind="comments paused",
            to=moderator.email,
            subject=subject,
            text=text,
            html=html,
        )
        for moderator in moderators()
    ]
