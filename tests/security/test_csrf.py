"""Every POST needs a CSRF token, or else comes from this site: a cross-site POST gets a 403,
and nothing is stored or changed.

The comment form and the newsletter sign-up are in pages everyone shares (a front cache
holds them), so they carry no token of the visitor's own: a POST sent to them from another
site is refused by where the browser says it came from (core/origins.py).
"""

import time

import pytest
from django.test import Client
from django.urls import reverse

from comments.forms import sign_timestamp
from comments.models import Comment
from comments.notifications import unsubscribe_token
from tests.factories import SLOW, make_article, make_comment, make_draft, make_user

pytestmark = pytest.mark.django_db


def strict_client(user=None):
    client = Client(enforce_csrf_checks=True)
    if user:
        client.force_login(user)
    return client


def comment_from(client, article, **headers):
    return client.post(
        f"/articles/{article.slug}/comments/",
        {"name": "Tom", "email": "tom@example.com", "body": "Hi", "website": "", "parent": "",
         "timestamp": sign_timestamp(article.pk, now=time.time() - SLOW)},
        headers=headers,
    )  # fmt: skip


CROSS_SITE = [
    {"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"},
    {"Sec-Fetch-Site": "same-site", "Origin": "https://other.testserver"},
    {"Origin": "https://evil.example"},
    {"Origin": "null"},
]


@pytest.mark.parametrize("headers", CROSS_SITE, ids=["cross-site", "same-site", "origin", "null"])
def test_a_comment_sent_from_another_site_is_refused_and_not_stored(headers):
    response = comment_from(strict_client(), make_article(), **headers)
    assert response.status_code == 403
    assert "This form came from another website" in response.content.decode()
    assert not Comment.objects.exists()


def test_a_comment_on_an_https_site_with_another_sites_referer_is_refused(settings):
    article = make_article()
    response = strict_client().post(
        f"/articles/{article.slug}/comments/",
        {"body": "Hi"},
        headers={"Referer": "https://evil.example/page"},
        secure=True,
    )
    assert response.status_code == 403 and not Comment.objects.exists()


@pytest.mark.parametrize(
    "headers",
    [{"Sec-Fetch-Site": "same-origin"}, {"Origin": "http://testserver"}, {}],
    ids=["fetch-site", "origin", "neither"],
)
def test_a_comment_from_this_sites_own_page_needs_no_token(headers):
    response = comment_from(strict_client(), make_article(), **headers)
    assert response.status_code == 302 and Comment.objects.count() == 1


def test_without_a_csrf_token_an_unsubscribe_link_changes_only_its_own_conversation():
    # Mail programs unsubscribe with a bare POST (RFC 8058): the signed token is the authority.
    article = make_article()
    comment = make_comment(article, email="asker@example.com", notify_replies=True)
    other = make_comment(article, email="asker@example.com", notify_replies=True)
    url = reverse("comments:unsubscribe", args=[unsubscribe_token(comment)])
    assert strict_client().post(url, {"stop": "conversation"}).status_code == 200
    comment.refresh_from_db()
    other.refresh_from_db()
    assert not comment.notify_replies and other.notify_replies


def test_without_a_csrf_token_a_forged_unsubscribe_link_changes_nothing():
    comment = make_comment(make_article(), notify_replies=True)
    forged = unsubscribe_token(comment)[:-3] + "abc"
    url = reverse("comments:unsubscribe", args=[forged])
    assert strict_client().post(url, {"stop": "all"}).status_code == 404
    comment.refresh_from_db()
    assert comment.notify_replies


def test_only_the_unsubscribe_links_and_the_shared_pages_forms_go_without_a_token():
    from django.urls import URLPattern, URLResolver, get_resolver

    def views(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from views(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern), pattern.callback

    exempt = {route: view for route, view in views(get_resolver().url_patterns)
              if getattr(view, "csrf_exempt", False)}  # fmt: skip
    assert sorted(exempt) == [
        "articles/<slug:slug>/comments/",
        "comments/unsubscribe/<str:token>/",
        "subscribe/",
        "subscribe/unsubscribe/<str:token>/",
    ]
    # The two forms of the shared pages refuse what another site sends them instead.
    assert exempt["articles/<slug:slug>/comments/"].same_site_only
    assert exempt["subscribe/"].same_site_only


def test_admin_moderation_without_a_csrf_token_is_refused():
    comment = make_comment(make_article(), status=Comment.Status.PENDING)
    client = strict_client(make_user(group="Moderators"))
    moderate = reverse("admin:comments_comment_change", args=[comment.pk])
    assert client.post(moderate, {"step": "approve"}).status_code == 403
    queue = reverse("admin:comments_comment_changelist")
    action = {"action": "approve_selected", "_selected_action": [comment.pk]}
    assert client.post(queue, action).status_code == 403
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


def test_publishing_without_a_csrf_token_is_refused():
    draft = make_draft()
    client = strict_client(make_user(group="Editors"))
    changelist = reverse("admin:articles_article_changelist")
    response = client.post(changelist, {"action": "publish_now", "_selected_action": [draft.pk]})
    assert response.status_code == 403
    draft.refresh_from_db()
    assert not draft.is_public


def test_logging_in_without_a_csrf_token_is_refused():
    make_user(group="Editors", username="daniel")
    response = strict_client().post(
        reverse("admin:login"), {"username": "daniel", "password": "a-long-test-password"}
    )
    assert response.status_code == 403


@pytest.mark.parametrize("headers", CROSS_SITE, ids=["cross-site", "same-site", "origin", "null"])
def test_a_sign_up_sent_from_another_site_is_refused_and_sends_nothing(headers):
    from subscriptions.models import MailingList, Subscriber

    lists = [MailingList.objects.first().pk]
    response = strict_client().post(
        "/subscribe/", {"email": "r@example.com", "lists": lists}, headers=headers
    )
    assert response.status_code == 403
    assert not Subscriber.objects.exists()


def test_without_a_csrf_token_a_list_unsubscribe_link_changes_only_its_own_list():
    from subscriptions.emails import unsubscribe_url
    from subscriptions.models import MailingList, Subscriber, Subscription

    rosa = Subscriber.objects.create(email="rosa@example.com")
    digest, newsletter = MailingList.objects.get(is_digest=True), MailingList.objects.first()
    for mailing_list in (digest, newsletter):
        Subscription.objects.create(subscriber=rosa, mailing_list=mailing_list, status="confirmed")
    path = "/" + unsubscribe_url(rosa, [digest.pk]).split("/", 3)[3]
    assert strict_client().post(path).status_code == 200
    assert dict(Subscription.objects.values_list("mailing_list", "status")) == {
        digest.pk: "left",
        newsletter.pk: "confirmed",
    }
