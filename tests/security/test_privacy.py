"""Commenters' emails and addresses stay private; staff can export or erase them on request."""

import io
import json
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article, Category, Tag
from comments.models import Comment
from pages.models import Page, SiteDetails
from tests.factories import make_article, make_comment, make_user

pytestmark = pytest.mark.django_db
PERSONAL = reverse("admin:comments_comment_personal_data")


def public_pages():
    yield "/"
    yield "/feed/rss/"
    yield "/feed/atom/"
    yield "/sitemap.xml"
    yield "/robots.txt"
    yield "/search/?q=treatment"
    for article in Article.objects.published():
        yield article.get_absolute_url()
    for category in Category.objects.all():
        yield category.get_absolute_url()
    for tag in Tag.objects.all():
        yield tag.get_absolute_url()
    for page in Page.objects.published():
        yield page.get_absolute_url()


def test_no_public_page_of_the_demo_shows_an_email_or_ip_address():
    call_command("load_demo", force=True, stdout=io.StringIO())
    secrets = set()
    for comment in Comment.objects.all():
        secrets.add(comment.email)
        if comment.ip_address:
            secrets.add(comment.ip_address)
    assert secrets
    email_pattern = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
    charity = SiteDetails.load().email  # the address the charity publishes, in every footer
    assert charity
    for url in public_pages():
        page = Client().get(url).content.decode()
        for secret in secrets:
            assert secret not in page, (url, secret)
        others = set(email_pattern.findall(page)) - {charity}
        assert not others, (url, others)


@pytest.fixture
def moderator(client):
    user = make_user(group="Moderators")
    client.force_login(user)
    return user


@pytest.fixture
def rosa_comments():
    article = make_article(title="Tofersen news")
    first = make_comment(
        article, name="Rosa", email="rosa@example.com", body="My brother…",
        ip_address="203.0.113.4", user_agent="Firefox", notify_replies=True,
    )  # fmt: skip
    second = make_comment(make_article(), name="Rosa A.", email="ROSA@example.com", body="Thanks")
    make_comment(article, name="Tom", email="tom@example.com", body="Someone else's words")
    return first, second


def test_staff_find_every_comment_of_an_email_address(client, moderator, rosa_comments):
    response = client.get(PERSONAL, {"email": "Rosa@Example.com"})
    assertContains(response, "2 comments by rosa@example.com")
    assertContains(response, "My brother")
    assertNotContains(response, "Someone else")


def test_export_hands_over_everything_stored_as_json(client, moderator, rosa_comments):
    response = client.post(PERSONAL, {"email": "rosa@example.com", "step": "export"})
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["email"] == "rosa@example.com"
    first = data["comments"][0]
    assert first["comment"] == "My brother…" and first["ip_address"] == "203.0.113.4"
    assert first["browser"] == "Firefox" and first["article"] == "Tofersen news"
    assert first["url"].startswith("http://testserver/comments/")
    assert len(data["comments"]) == 2


def test_anonymising_keeps_the_text_and_removes_everything_personal(
    client, moderator, rosa_comments
):
    response = client.post(PERSONAL, {"email": "rosa@example.com", "step": "anonymise",
                                      "confirm": "on"}, follow=True)  # fmt: skip
    assertContains(response, "2 comment(s) by rosa@example.com anonymised")
    first, second = rosa_comments
    first.refresh_from_db()
    assert (first.name, first.email, first.ip_address, first.user_agent) == (
        "Anonymous",
        "",
        None,
        "",
    )
    assert first.body == "My brother…" and not first.notify_replies
    page = Client().get(first.article.get_absolute_url()).content.decode()
    assert "Rosa" not in page and "Anonymous" in page


def test_erasing_needs_a_ticked_confirmation(client, moderator, rosa_comments):
    response = client.post(PERSONAL, {"email": "rosa@example.com", "step": "anonymise"})
    assertContains(response, "Tick this box to confirm the request")
    assert Comment.objects.filter(name="Rosa").exists()


def test_an_editor_may_delete_the_comments_altogether(client, rosa_comments):
    client.force_login(make_user(group="Editors"))
    client.post(PERSONAL, {"email": "rosa@example.com", "step": "delete", "confirm": "on"})
    assert not Comment.objects.filter(email="rosa@example.com").exists()
    assert Comment.objects.filter(email="tom@example.com").exists()


def test_a_moderator_may_anonymise_but_not_delete(client, moderator, rosa_comments):
    response = client.post(PERSONAL, {"email": "rosa@example.com", "step": "delete",
                                      "confirm": "on"})  # fmt: skip
    assert response.status_code == 403
    assert Comment.objects.filter(email="rosa@example.com").count() == 2


def test_authors_have_no_access_to_personal_data(client, rosa_comments):
    client.force_login(make_user(group="Authors"))
    assert client.get(PERSONAL, {"email": "rosa@example.com"}).status_code == 403


def test_the_queue_links_to_personal_data_requests(client, moderator):
    assertContains(
        client.get(reverse("admin:comments_comment_changelist")), "Personal data requests"
    )


def test_an_address_with_a_plus_sign_comes_back_intact(client, moderator):
    make_comment(make_article(), email="a+b@example.com")
    response = client.post(PERSONAL, {"email": "a+b@example.com", "step": "anonymise",
                                      "confirm": "on"}, follow=True)  # fmt: skip
    assertContains(response, "1 comment(s) by a+b@example.com anonymised")
    assertNotContains(response, "Enter a valid email")


def test_anonymising_also_clears_the_name_from_the_admin_history(client, moderator, rosa_comments):
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType

    first, _ = rosa_comments
    LogEntry.objects.log_actions(moderator.pk, [first], CHANGE, change_message="Replied")
    client.post(PERSONAL, {"email": "rosa@example.com", "step": "anonymise", "confirm": "on"})
    entry = LogEntry.objects.get(content_type=ContentType.objects.get_for_model(Comment))
    assert "Rosa" not in entry.object_repr


def test_deleting_a_commenters_comments_keeps_other_peoples_replies(client, rosa_comments):
    first, _ = rosa_comments
    reply = make_comment(first.article, parent=first, name="Helen", body="Helen's reply")
    client.force_login(make_user(group="Editors"))
    client.post(PERSONAL, {"email": "rosa@example.com", "step": "delete", "confirm": "on"})
    reply.refresh_from_db()
    assert reply.parent is None and reply.depth == 0
    page = Client().get(first.article.get_absolute_url()).content.decode()
    assert "Helen&#x27;s reply" in page or "Helen's reply" in page


def test_no_error_page_or_later_page_shows_an_email_or_ip_address():
    call_command("load_demo", force=True, stdout=io.StringIO())
    for _ in range(12):
        make_article()
    secrets = {c.email for c in Comment.objects.all()} | {
        c.ip_address for c in Comment.objects.all() if c.ip_address
    }
    for url in ("/?page=2", "/no/such/page/", "/articles/no-such-article/", "/search/?q=%00"):
        page = Client().get(url).content.decode()
        assert not any(secret in page for secret in secrets), url


@pytest.fixture
def rosa_mail(deliver):
    from comments import moderation
    from subscriptions.models import MailingList, Subscriber, Subscription

    rosa = Subscriber.objects.create(email="rosa@example.com", source="/articles/tofersen/")
    for mailing_list in MailingList.objects.all():
        Subscription.objects.create(subscriber=rosa, mailing_list=mailing_list, status="confirmed")
    question = make_comment(make_article(), email="rosa@example.com", notify_replies=True)
    moderation.reply(question, by=make_user(group="Moderators"), body="An answer")
    deliver()  # the reply email to her is in the outbox's record
    return rosa


def test_export_includes_subscriptions_and_the_emails_sent(client, moderator, rosa_mail):
    response = client.post(PERSONAL, {"email": "rosa@example.com", "step": "export"})
    data = json.loads(response.content)
    assert [s["list"] for s in data["subscriptions"]] == ["Research Matters", "Weekly blog digest"]
    assert data["subscriptions"][0]["signed_up_on"] == "/articles/tofersen/"
    assert [sent["kind"] for sent in data["emails_sent"]] == ["reply published"]
    assert data["emails_sent"][0]["status"] == "Sent"


def test_export_includes_the_sign_up_requests_with_their_address(client, moderator):
    from subscriptions.models import SignUp

    SignUp.objects.create(email="rosa@example.com", ip_address="203.0.113.7")
    response = client.post(PERSONAL, {"email": "rosa@example.com", "step": "export"})
    (signup,) = json.loads(response.content)["sign_up_requests"]
    assert signup["ip_address"] == "203.0.113.7"


def test_the_personal_data_page_shows_subscriptions_too(client, moderator, rosa_mail):
    response = client.get(PERSONAL, {"email": "rosa@example.com"})
    assertContains(response, "2 subscriptions, 1 email sent")
    assertContains(response, "Weekly blog digest: Confirmed")


@pytest.mark.parametrize("step, group", [("anonymise", "Moderators"), ("delete", "Editors")])
def test_erasing_an_address_forgets_its_subscriptions_and_the_emails_about_it(
    client, rosa_mail, step, group, deliver, no_flood_wait
):
    from outbox.models import Email
    from subscriptions.models import MailingList, SignUp, Subscriber, Subscription
    from tests.factories import form_data, post_url

    article = make_article()
    Client().post(post_url(article), form_data(article, email="rosa@example.com", body="Held"))
    deliver()  # the moderators' alert quotes her comment
    Client().post("/subscribe/", {"email": "rosa@example.com", "website": "",
                                  "lists": [MailingList.objects.first().pk]})  # fmt: skip
    assert Email.objects.filter(kind="comment held").exists() and SignUp.objects.exists()
    client.force_login(make_user(group=group))
    client.post(PERSONAL, {"email": "rosa@example.com", "step": step, "confirm": "on"})
    assert not Subscriber.objects.exists() and not Subscription.objects.exists()
    assert not SignUp.objects.exists()
    assert not Email.objects.filter(to="rosa@example.com").exists()
    assert not Email.objects.filter(kind="comment held").exists()
    from outbox.models import Content

    assert not Content.objects.filter(text__contains="Held").exists()  # nor what they said


@pytest.mark.parametrize("step", ["anonymise", "delete"])
def test_erasing_forgets_the_reply_notices_that_quoted_the_person(client, step, deliver):
    from outbox.models import Content, Email

    article = make_article()
    asker = make_comment(article, email="asker@example.com", notify_replies=True)
    make_comment(article, parent=asker, email="rosa@example.com", name="Rosa",
                 body="Rosa's own words")  # fmt: skip
    from comments import notifications
    from outbox import queue

    queue.enqueue(notifications.replies_published, reply_ids=[asker.replies.get().pk])
    deliver()
    assert Content.objects.filter(text__contains="Rosa's own words").exists()
    client.force_login(make_user(group="Editors"))
    client.post(PERSONAL, {"email": "rosa@example.com", "step": step, "confirm": "on"})
    assert not Email.objects.filter(kind="reply published").exists()
    assert not Content.objects.filter(text__contains="Rosa's own words").exists()


@pytest.mark.parametrize("step", ["anonymise", "delete"])
def test_erasing_forgets_what_the_moderation_history_quotes_of_the_person(client, step):
    from comments import moderation
    from comments.models import Event

    editor = make_user(group="Editors")
    client.force_login(editor)
    comment = make_comment(make_article(), status=Comment.Status.PENDING,
                           email="rosa@example.com", body="Rosa Diaz, 918 555 0142")  # fmt: skip
    moderation.edit_and_approve(comment, by=editor, text="Rosa")
    moderation.reply_privately(comment, by=editor, body="Dear Rosa Diaz")
    client.post(PERSONAL, {"email": "rosa@example.com", "step": step, "confirm": "on"})
    assert Event.objects.count() == 3  # what was done stays on record
    for event in Event.objects.all():
        assert "Diaz" not in f"{event.note}{event.text_before}{event.text_after}"
    assert not Comment.objects.filter(original_body__contains="Diaz").exists()
