"""Editions: this week's digest of new articles, and newsletter issues staff write.

An edition is rendered once into one outbox Content; each subscriber's email fills in their
own unsubscribe and manage links. Its emails are keyed by edition and subscriber, so
sending an edition again, or again after a crash half-way, stores only what is missing and
nobody gets two copies.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import strip_tags

from articles.images import rendition_url
from articles.models import Article
from outbox import queue as outbox
from outbox.messages import Message, absolute, inline_css
from outbox.models import Content, Email
from subscriptions.emails import manage_url, unsubscribe_url
from subscriptions.models import Edition, MailingList, Subscription

FIRST_DIGEST_COVERS = timedelta(days=7)
KIND = {True: "weekly digest", False: "newsletter"}


class NoDigestList(Exception):
    """No mailing list is marked as the weekly digest."""


def prepare_digest(now=None):
    """This week's digest edition, made if needed; None when there is nothing new to send.

    It holds the articles gone public since the last digest was made (the first one: in
    the last week) that no earlier digest held.
    """
    now = now or timezone.now()
    mailing_list = MailingList.objects.filter(is_digest=True).order_by("pk").first()
    if mailing_list is None:
        raise NoDigestList("No mailing list is marked as the weekly digest (in the admin).")
    today = timezone.localdate(now)
    monday = today - timedelta(days=today.weekday())
    with transaction.atomic():
        edition = Edition.objects.filter(mailing_list=mailing_list, week=monday).first()
        if edition is not None:
            return edition  # this week's: finish it if a run stopped half-way
        previous = Edition.objects.filter(mailing_list=mailing_list, week__isnull=False).first()
        since = previous.created_at if previous else now - FIRST_DIGEST_COVERS
        held = Article.objects.filter(editions__mailing_list=mailing_list)
        articles = list(
            Article.objects.gone_public_since(since).exclude(pk__in=held).order_by("-publish_at")
        )
        if not articles:
            return None
        edition = Edition.objects.create(
            mailing_list=mailing_list,
            week=monday,
            subject=f"This week on {settings.SITE_NAME}: {articles[0].title}"[:200],
            status=Edition.Status.SENDING,
            created_at=now,
        )
        edition.articles.set(articles)
    return edition


def queue_emails(edition, *, progress=None):
    """Store one email of `edition` for each confirmed subscriber; return how many new.

    `progress(done, total)` is called as it goes.
    """
    # Started before and stopped half-way: go on with the same content.
    begun = Email.objects.filter(batch=edition.batch).select_related("content").first()
    content = begun.content if begun else render(edition)
    subscriptions = (
        Subscription.objects.confirmed()
        .filter(mailing_list=edition.mailing_list)
        .select_related("subscriber")
        .order_by("pk")
    )
    total = subscriptions.count()
    Edition.objects.filter(pk=edition.pk).update(recipients=total)
    list_ids = [edition.mailing_list_id]

    def recipients():
        for done, subscription in enumerate(subscriptions.iterator(chunk_size=2000), 1):
            subscriber = subscription.subscriber
            values = {
                "unsubscribe_url": unsubscribe_url(subscriber, list_ids),
                "manage_url": manage_url(subscriber),
            }
            yield f"{edition.batch}:{subscriber.pk}", subscriber.email, values
            if progress and (done % 500 == 0 or done == total):
                progress(done, total)

    return outbox.send_bulk(
        content, recipients(), kind=KIND[edition.mailing_list.is_digest], batch=edition.batch
    )


def render(edition, *, preview=False):
    """The edition as an outbox Content, its links left as [[markers]] for each subscriber.

    A preview is not stored, and its links lead nowhere.
    """
    context = context_for(edition)
    if preview:
        context |= {"unsubscribe_url": "#", "manage_url": "#"}
    content = Content(
        subject=edition.subject,
        text=render_to_string("subscriptions/email/edition.txt", context),
        html=inline_css(render_to_string("subscriptions/email/edition.html", context)),
        headers={
            "List-Unsubscribe": "<[[unsubscribe_url]]>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    if not preview:
        content.save()
    return content


def context_for(edition):
    articles = list(edition.articles.select_related("image", "category").order_by("-publish_at"))
    for article in articles:
        article.email_url = absolute(article.get_absolute_url())
        article.email_image = absolute(rendition_url(article.image, 800)) if article.image else ""
    return {
        "edition": edition,
        "mailing_list": edition.mailing_list,
        "articles": articles,
        "introduction_text": strip_tags(edition.introduction or "").strip(),
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "unsubscribe_url": "[[unsubscribe_url]]",
        "manage_url": "[[manage_url]]",
    }


def send_test(edition, to):
    """Send `edition` to `to` alone, now, to see it as subscribers will."""
    content = render(edition, preview=True)  # its links lead nowhere: it is only a test
    message = Message(
        key=f"test:{edition.pk}:{timezone.now().timestamp()}",
        kind="test edition",
        to=to,
        subject=f"[Test] {edition.subject}",
        text=content.text,
        html=content.html,
    )
    return outbox.send([message])


def progress_of(edition):
    """How far the edition's emails have gone: {"sent": n, "failed": n, "waiting": n}."""
    Status = Email.Status
    counts = dict(
        Email.objects.filter(batch=edition.batch)
        .order_by()
        .values_list("status")
        .annotate(total=Count("pk"))
    )
    sent, failed = counts.pop(Status.SENT, 0), counts.pop(Status.FAILED, 0)
    return {"sent": sent, "failed": failed, "waiting": sum(counts.values())}
