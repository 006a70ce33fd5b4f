"""Every change to a subscription goes through here: sign up, confirm, change, leave.

A sign-up only asks: nothing is sent to a list until its confirmation link is followed and
its button pressed. The answer to a sign-up is the same whoever asks, so the form never
tells anyone whether an address is on a list; and at most a few confirmation emails go to
one address, or from one IP address, in a day, so the form cannot be used to flood someone.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from outbox import queue as outbox
from pages.retention import Section, days
from subscriptions import emails
from subscriptions.models import SignUp, Subscriber, Subscription
from subscriptions.tokens import CONFIRM_MAX_AGE

Status = Subscription.Status
EMAILS_PER_ADDRESS_A_DAY = 3
EMAILS_PER_IP_ADDRESS_A_DAY = 10
SIGNUP_LOG_KEPT = timedelta(days=1)  # the log the limits above count in


def sign_up(email, lists, *, ip_address=None, source=""):
    """Ask to subscribe `email` to `lists`; queue the email that confirms it.

    Returns nothing: callers answer "check your inbox" whatever happened.
    """
    email = email.strip().lower()
    with transaction.atomic():
        if _over_the_limit(email, ip_address):
            return
        signup = SignUp.objects.create(
            email=email, ip_address=ip_address, created_at=timezone.now()
        )
        now = timezone.now()
        subscriber, _ = Subscriber.objects.get_or_create(
            email=email, defaults={"source": source, "created_at": now}
        )
        asking = []
        for mailing_list in lists:
            subscription, created = Subscription.objects.get_or_create(
                subscriber=subscriber, mailing_list=mailing_list, defaults={"requested_at": now}
            )
            if subscription.status != Status.CONFIRMED:
                if not created:
                    Subscription.objects.filter(pk=subscription.pk).update(
                        status=Status.PENDING, requested_at=now, left_at=None
                    )
                asking.append(mailing_list.pk)
        if asking:
            outbox.enqueue(
                emails.confirmation,
                signup_id=signup.pk,
                subscriber_id=subscriber.pk,
                list_ids=asking,
            )
        else:
            outbox.enqueue(
                emails.already_subscribed, signup_id=signup.pk, subscriber_id=subscriber.pk
            )


def _over_the_limit(email, ip_address):
    since = timezone.now() - SIGNUP_LOG_KEPT
    recent = SignUp.objects.filter(created_at__gte=since)
    if recent.filter(email=email).count() >= EMAILS_PER_ADDRESS_A_DAY:
        return True
    return bool(ip_address) and (
        recent.filter(ip_address=ip_address).count() >= EMAILS_PER_IP_ADDRESS_A_DAY
    )


def confirm(subscriber, list_ids):
    """Confirm the waiting subscriptions of `subscriber` to `list_ids`; return how many."""
    now = timezone.now()
    waiting = Subscription.objects.filter(
        subscriber=subscriber, mailing_list_id__in=list_ids, status=Status.PENDING
    )
    return waiting.update(status=Status.CONFIRMED, confirmed_at=now)


def choose(subscriber, lists):
    """From the manage page: receive exactly `lists`; return (joined, left) counts.

    The manage link proves the address is theirs, so a list ticked there is confirmed at
    once.
    """
    now = timezone.now()
    wanted = {mailing_list.pk for mailing_list in lists}
    joined = 0
    with transaction.atomic():
        for mailing_list in lists:
            subscription, _ = Subscription.objects.get_or_create(
                subscriber=subscriber, mailing_list=mailing_list
            )
            if subscription.status != Status.CONFIRMED:
                Subscription.objects.filter(pk=subscription.pk).update(
                    status=Status.CONFIRMED, confirmed_at=now, left_at=None
                )
                joined += 1
        left = (
            Subscription.objects.filter(subscriber=subscriber)
            .exclude(mailing_list__in=wanted)
            .exclude(status=Status.LEFT)
            .update(status=Status.LEFT, left_at=now)
        )
    return joined, left


def leave(subscriber, mailing_list):
    """Stop sending `mailing_list` to `subscriber`; return 1 if it changed anything."""
    subscriptions = Subscription.objects.filter(subscriber=subscriber, mailing_list=mailing_list)
    return subscriptions.exclude(status=Status.LEFT).update(
        status=Status.LEFT, left_at=timezone.now()
    )


def leave_all(subscriber):
    return (
        Subscription.objects.filter(subscriber=subscriber)
        .exclude(status=Status.LEFT)
        .update(status=Status.LEFT, left_at=timezone.now())
    )


def expire_unconfirmed():
    """Forget sign-ups nobody confirmed within their link's life; return how many went.

    Addresses left with no subscription at all are forgotten too, and the sign-up log that
    limits confirmation emails is kept one day.
    """
    now = timezone.now()
    with transaction.atomic():
        expired, _ = Subscription.objects.filter(
            status=Status.PENDING, requested_at__lt=now - CONFIRM_MAX_AGE
        ).delete()
        Subscriber.objects.filter(subscriptions=None).delete()
        SignUp.objects.filter(created_at__lt=now - SIGNUP_LOG_KEPT).delete()
    return expired


def what_we_keep():
    """The privacy page's account of what subscribing leaves here (pages/retention.py)."""
    return Section(
        "If you subscribe",
        [
            "Your email address and the lists you chose, with when you asked, when you "
            "confirmed and the page you signed up on.",
            f"If you do not confirm within {days(CONFIRM_MAX_AGE.days)}, the request is "
            "deleted, and your address with it unless you are on another list.",
            f"Each sign-up, with the IP address it came from, is kept for "
            f"{days(SIGNUP_LOG_KEPT.days)} to limit how many confirmation emails one address "
            "or one computer can trigger, then deleted.",
            "When you unsubscribe we keep your address marked as unsubscribed, so that "
            "nothing more is sent to it, until you ask us to erase it.",
        ],
        position=20,
    )


def forget(email):
    """Forget `email`'s subscriptions and sign-up requests, as its owner asked."""
    address = email.strip().lower()
    with transaction.atomic():
        Subscriber.objects.filter(email=address).delete()
        SignUp.objects.filter(email=address).delete()
