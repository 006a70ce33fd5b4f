"""The pages of a subscription: sign up, confirm, manage one's lists, and unsubscribe.

None needs a login: the signed link in an email is the authority. Opening a link never
changes anything (mail scanners open links); a button's POST does.
"""

from urllib.parse import urlsplit

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from core.client_ip import client_ip
from core.origins import same_site_forms
from subscriptions import signups
from subscriptions.forms import ManageForm, SubscribeForm
from subscriptions.models import MailingList, Subscriber, Subscription
from subscriptions.tokens import (
    BadLink,
    ExpiredLink,
    manage_token,
    read_confirm_token,
    read_manage_token,
    read_unsubscribe_token,
)


@same_site_forms  # the form is in every page's footer, which everyone shares
@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request):
    """The sign-up form's answer: "check your inbox", the same for every address."""
    if request.method != "POST":
        return render(request, "subscriptions/subscribe.html", {"form": SubscribeForm()})
    form = SubscribeForm(request.POST)
    if not form.is_valid():
        return render(request, "subscriptions/subscribe.html", {"form": form}, status=400)
    if not form.honeypot_filled:
        signups.sign_up(
            form.cleaned_data["email"],
            form.cleaned_data["lists"],
            ip_address=client_ip(request),
            source=_source(request),
        )
    return render(request, "subscriptions/check_inbox.html", {"email": form.cleaned_data["email"]})


def _source(request):
    """The page the form was sent from, as far as the browser says (path only)."""
    referer = urlsplit(request.headers.get("referer", ""))
    return referer.path[:300] if referer.netloc == request.get_host() else ""


def bad_link(request, *, expired=False):
    context = {"expired": expired}
    return render(request, "subscriptions/bad_link.html", context, status=400)


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    try:
        subscriber_id, list_ids = read_confirm_token(token)
    except ExpiredLink:
        return bad_link(request, expired=True)
    except BadLink:
        return bad_link(request)
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None:  # forgotten since: expired, or erased on request
        return bad_link(request, expired=True)
    if request.method == "POST":
        signups.confirm(subscriber, list_ids)
    mine = Subscription.objects.filter(subscriber=subscriber, mailing_list_id__in=list_ids)
    waiting = MailingList.objects.filter(
        pk__in=mine.filter(status=Subscription.Status.PENDING).values("mailing_list")
    )
    subscribed = MailingList.objects.filter(
        pk__in=mine.filter(status=Subscription.Status.CONFIRMED).values("mailing_list")
    )
    confirmed = request.method == "POST" and subscribed.exists()
    context = {
        "subscriber": subscriber,
        "lists": list(waiting) or list(subscribed),
        "confirmed": confirmed,
        "already": not confirmed and not waiting.exists() and subscribed.exists(),
        # Left since, or the request expired: the link no longer subscribes anyone.
        "gone": not waiting.exists() and not subscribed.exists(),
        "manage_token": manage_token(subscriber),
    }
    status = 410 if context["gone"] else 200
    return render(request, "subscriptions/confirm.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def manage(request, token):
    try:
        subscriber = Subscriber.objects.filter(pk=read_manage_token(token)).first()
    except BadLink:
        return bad_link(request)
    if subscriber is None:
        raise Http404("Nothing is stored for this address any more.")
    current = MailingList.objects.filter(
        subscriptions__subscriber=subscriber,
        subscriptions__status=Subscription.Status.CONFIRMED,
    )
    saved = None
    if request.method == "POST":
        if "leave_all" in request.POST:
            signups.leave_all(subscriber)
            form = ManageForm(initial={"lists": []}, subscriber=subscriber)
            saved = "left"
        else:
            form = ManageForm(request.POST, subscriber=subscriber)
            if form.is_valid():
                signups.choose(subscriber, form.cleaned_data["lists"])
                form = ManageForm(initial={"lists": list(current)}, subscriber=subscriber)
                saved = "saved"
    else:
        form = ManageForm(initial={"lists": list(current)}, subscriber=subscriber)
    context = {"subscriber": subscriber, "form": form, "saved": saved}
    return render(request, "subscriptions/manage.html", context)


@csrf_exempt  # the signed token is the authority; a mail program's POST carries nothing else
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """An email's unsubscribe link, and its one-click POST (RFC 8058).

    It stops only the lists the link was made for.
    """
    try:
        subscriber_id, list_ids = read_unsubscribe_token(token)
    except BadLink:
        return bad_link(request)
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None:
        raise Http404("Nothing is stored for this address any more.")
    lists = list(MailingList.objects.filter(pk__in=list_ids))
    done = request.method == "POST"
    if done:
        for mailing_list in lists:
            signups.leave(subscriber, mailing_list)
    context = {
        "lists": lists,
        "done": done,
        "manage_token": manage_token(subscriber),
    }
    return render(request, "subscriptions/unsubscribe.html", context)
