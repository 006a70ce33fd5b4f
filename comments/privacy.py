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

from comments import erasing
from comments.models import Comment
from outbox import queue as outbox
from outbox.models import Email
from pages.retention import Section, days
from subscriptions import signups
from subscriptions.models import SignUp, Subscription


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
    signups.forget(address)
    doomed = Q(pk__in=emails_to(address).values("pk"))
    for pk in comment_ids:
        # Moderators' alerts and other readers' reply notices quoted these comments.
        doomed |= Q(key__startswith=f"comment-held:{pk}:") | Q(key=f"reply-published:{pk}")
    # The moderators' daily digests quoted them too (their text, under the writer's name).
    for body in Comment.objects.filter(pk__in=list(comment_ids)).values_list("body", flat=True):
        doomed |= Q(kind="moderator digest", content__text__contains=body[:200])
    outbox.forget(Email.objects.filter(doomed))


def anonymise(email):
    """Anonymise every comment of `email`, and forget its subscriptions and the emails sent
    to it; return how many comments."""
    with transaction.atomic():
        comments = comments_of(email)
        ids = list(comments.values_list("pk", flat=True))
        forget_mail(email, ids)  # while the comments still say what the digests quoted
        count = erasing.anonymise(comments)
    return count


def delete(email):
    """Delete every comment of `email`, and forget its subscriptions and the emails sent to
    it; return how many comments."""
    with transaction.atomic():
        comments = list(comments_of(email))
        forget_mail(email, [comment.pk for comment in comments])
        count = erasing.delete(Comment.objects.filter(pk__in=[c.pk for c in comments]))
    return count
