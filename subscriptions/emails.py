"""The emails subscribers get: the confirmation of a sign-up, and each edition of a list."""

from django.urls import reverse

from outbox.messages import Message, absolute, render
from outbox.queue import composer
from subscriptions.models import MailingList, Subscriber, Subscription
from subscriptions.tokens import confirm_token, manage_token, unsubscribe_token


def manage_url(subscriber):
    return absolute(reverse("subscriptions:manage", args=[manage_token(subscriber)]))


def unsubscribe_url(subscriber, list_ids):
    """The one-click link that stops `list_ids` for `subscriber` (and only those)."""
    token = unsubscribe_token(subscriber, list_ids)
    return absolute(reverse("subscriptions:unsubscribe", args=[token]))


@composer
def confirmation(signup_id, subscriber_id, list_ids):
    """Ask the address to confirm it wants these lists, with a link that does it."""
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    lists = list(MailingList.objects.filter(pk__in=list_ids))
    if subscriber is None or not lists:
        return []
    token = confirm_token(subscriber, [mailing_list.pk for mailing_list in lists])
    context = {
        "lists": lists,
        "confirm_url": absolute(reverse("subscriptions:confirm", args=[token])),
        "manage_url": manage_url(subscriber),
    }
    text, html = render("subscriptions/email/confirm", context)
    return [
        Message(
            key=f"confirm:{signup_id}",
            kind="subscription confirmation",
            to=subscriber.email,
            subject="Please confirm your subscription",
            text=text,
            html=html,
            # "I never asked for this": one click and these lists are never sent.
            unsubscribe_url=unsubscribe_url(subscriber, [m.pk for m in lists]),
        )
    ]


@composer
def already_subscribed(signup_id, subscriber_id):
    """Someone signed up an address that already gets every list it asked for: say so."""
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None:
        return []
    confirmed = Subscription.objects.confirmed().filter(subscriber=subscriber)
    lists = [subscription.mailing_list for subscription in confirmed.select_related("mailing_list")]
    context = {"lists": lists, "manage_url": manage_url(subscriber)}
    text, html = render("subscriptions/email/already_subscribed", context)
    return [
        Message(
            key=f"already:{signup_id}",
            kind="already subscribed",
            to=subscriber.email,
            subject="You are already subscribed",
            text=text,
            html=html,
            unsubscribe_url=unsubscribe_url(subscriber, [m.pk for m in lists]),
        )
    ]
