"""Readers' personal data: what we hold for an email address, handed over or erased.

Like WordPress's personal-data tools: staff export everything stored with an address (its
comments, subscriptions and the emails sent to it), or erase it. Erasing anonymises
comments by default (the text stays, so conversations still read; name, email, IP address
and browser go); deleting removes the comments altogether. Either way the address's
subscriptions and the emails sent to it are forgotten.
"""

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from comments import moderation
from comments.models import Comment, Event
from outbox.models import Content, Email
from pages.retention import Section, days
from subscriptions.models import SignUp, Subscriber, Subscription

ANONYMOUS = "Anonymous"


def what_we_keep():
    """The privacy page's account of what a comment leaves here (pages/retention.py)."""
    kept = days(settings.COMMENTS_KEEP_METADATA_DAYS)
    return Section(
        "If you comment",
        [
            "Your name and your comment, shown under the article once a moderator approves "
            "it, for as long as the comment stays on the site.",
            "Your email address, which is never shown: it lets us email you when your comment "
            "is published or answered (only if you tick the box), and lets us find your "
            "comments when you ask for them.",
            f"Your IP address and the name of your browser, used only to spot spam and abuse, "
            f"are deleted after {kept}.",
            f"If a moderator edits your comment before publishing it (to take out a phone "
            f"number, for example), your own words are kept privately for {kept}, then "
            f"deleted; so are the emails that told moderators about your comment.",
            "While you visit after commenting, your browser keeps a session cookie so that you "
            "see your comment waiting for review and find your name filled in; it ends when "
            "you close the browser.",
            f"Only if you tick “Remember my name and email on this device”: a cookie "
            f"on your device holds your name and email for "
            f"{days(settings.COMMENTS_REMEMBER_DAYS)}, to fill in the form next time. Posting "
            f"with the box unticked removes it.",
            f"While you type a comment, your own browser keeps a copy of the text on your "
            f"device (not on our server), so that nothing is lost if the page closes; it is "
            f"removed once your comment is sent, when you press “Discard it”, or after "
            f"{days(settings.COMMENTS_DRAFT_DAYS)}.",
            "You can ask for a copy of everything stored with your email address, or for it "
            "to be erased: your comments are then anonymised or deleted, and your "
            "subscriptions and the emails sent to you forgotten.",
        ],
        position=10,
    )


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
                "as_first_written": comment.original_body or None,
                "ip_address": comment.ip_address,
                "browser": comment.user_agent,
            }
            for comment in comments_of(email)
        ],
        "subscriptions": [
            {
                "list": subscription.mailing_list.name,
                "status": subscription.get_status_display(),
                "asked_at": subscription.requested_at.isoformat(),
                "confirmed_at": _iso(subscription.confirmed_at),
                "left_at": _iso(subscription.left_at),
                "signed_up_on": subscription.subscriber.source,
            }
            for subscription in subscriptions_of(email)
        ],
        "sign_up_requests": [
            {"asked_at": signup.created_at.isoformat(), "ip_address": signup.ip_address}
            for signup in SignUp.objects.filter(email=email.strip().lower()).order_by("created_at")
        ],
        "emails_sent": [
            {
                "subject": sent.subject,
                "kind": sent.kind,
                "status": sent.get_status_display(),
                "queued_at": sent.created_at.isoformat(),
                "sent_at": _iso(sent.sent_at),
            }
            for sent in emails_to(email)
        ],
    }


def _iso(moment):
    return moment.isoformat() if moment else None


def subscriptions_of(email):
    return (
        Subscription.objects.filter(subscriber__email=email.strip().lower())
        .select_related("subscriber", "mailing_list")
        .order_by("mailing_list__position")
    )


def emails_to(email):
    return Email.objects.to_address(email).select_related("content").order_by("created_at")


def forget_mail(email, comment_ids=()):
    """Forget the address's subscriptions, sign-ups and the emails sent to it.

    The emails that told moderators about its comments, or other readers about its
    replies, quoted them: they go too, with their text.
    """
    address = email.strip().lower()
    Subscriber.objects.filter(email=address).delete()
    SignUp.objects.filter(email=address).delete()
    doomed = Q(pk__in=emails_to(address).values("pk"))
    for pk in comment_ids:
        # Moderators' alerts and other readers' reply notices quoted these comments.
        doomed |= Q(key__startswith=f"comment-held:{pk}:") | Q(key=f"reply-published:{pk}")
    # The moderators' daily digests quoted them too (their text, under the writer's name).
    for body in Comment.objects.filter(pk__in=list(comment_ids)).values_list("body", flat=True):
        doomed |= Q(kind="moderator digest", content__text__contains=body[:200])
    emails = Email.objects.filter(doomed)
    content_ids = set(emails.values_list("content_id", flat=True))
    emails.delete()
    # What those emails said (a newsletter's text is shared, and stays while others use it).
    Content.objects.filter(pk__in=content_ids, emails=None).delete()


def anonymise(email):
    """Remove name, email, IP address and browser from every comment of `email`."""
    with transaction.atomic():
        comments = comments_of(email)
        ids = list(comments.values_list("pk", flat=True))
        article_ids = set(comments.values_list("article_id", flat=True))
        count = Comment.objects.filter(pk__in=ids).update(
            name=ANONYMOUS, email="", ip_address=None, user_agent="", notify_replies=False,
            original_body="",
        )  # fmt: skip
        _forget_in_admin_history(ids, f"{ANONYMOUS}: (anonymised)")
        _forget_in_moderation_history(ids)
        forget_mail(email, ids)
        moderation.refresh_counts(article_ids)  # their names show on public pages
    return count


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
        for comment in comments:
            if comment.thread_id is None:
                _start_new_conversations(comment, ids)
        Comment.objects.filter(pk__in=ids).delete()
        _forget_in_admin_history(ids, "(deleted on request)")
        _forget_in_moderation_history(ids)
        forget_mail(email, ids)
        moderation.refresh_counts({comment.article_id for comment in comments})
    return len(ids)


def _forget_in_moderation_history(comment_ids):
    """Keep what was done to the comments, and forget what their rows quote of the person:
    the text before a redaction, a private answer, a deleted comment's words."""
    Event.objects.filter(comment_number__in=list(comment_ids)).update(
        note="", text_before="", text_after=""
    )


def _forget_in_admin_history(comment_ids, label):
    """The admin's history names each comment it logs: those names go too."""
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Comment),
        object_id__in=[str(pk) for pk in comment_ids],
    ).update(object_repr=label, change_message="")
