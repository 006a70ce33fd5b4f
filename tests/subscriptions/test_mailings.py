"""The weekly digest, newsletter issues, and leaving: what subscribers receive, once each."""

import re
from datetime import timedelta
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from pytest_django.asserts import assertContains

from articles import publishing
from outbox.models import Email
from subscriptions.emails import manage_url, unsubscribe_url
from subscriptions.models import Edition, MailingList, Subscriber, Subscription
from subscriptions.tokens import read_manage_token, read_unsubscribe_token
from tests.factories import make_article, make_draft, make_image, make_user
from tests.mailserver import html_of, text_of

pytestmark = pytest.mark.django_db
Status = Subscription.Status


@pytest.fixture
def digest():
    return MailingList.objects.get(slug="weekly-digest")


@pytest.fixture
def newsletter():
    return MailingList.objects.get(slug="research-matters")


def subscribe(address, mailing_list, status=Status.CONFIRMED):
    subscriber, _ = Subscriber.objects.get_or_create(email=address)
    Subscription.objects.create(subscriber=subscriber, mailing_list=mailing_list, status=status)
    return subscriber


def send_digest():
    out = StringIO()
    call_command("send_digest", stdout=out)
    return out.getvalue()


def path_of(url):
    return urlsplit(url).path


def test_the_digest_brings_the_weeks_new_articles_to_confirmed_subscribers_only(
    smtp_server, deliver, digest
):
    subscribe("rosa@example.com", digest)
    subscribe("waiting@example.com", digest, status=Status.PENDING)
    subscribe("gone@example.com", digest, status=Status.LEFT)
    make_article(title="Tofersen in everyday care", image=make_image())
    report = send_digest()
    deliver()
    assert "1 email(s) queued" in report
    assert [message["To"] for message in smtp_server.messages] == ["rosa@example.com"]
    message = smtp_server.messages[0]
    assert message["Subject"] == "This week on ALS Research News: Tofersen in everyday care"
    assert "Tofersen in everyday care" in text_of(message)
    html = html_of(message)
    assert 'style="' in html  # the CSS is inlined for mail programs
    images = re.findall(r'<img[^>]+src="([^"]+)"', html)
    assert images and all(src.startswith("https://127.0.0.1/media/") for src in images)
    assert "<link" not in html and "@import" not in html  # no outside font or stylesheet
    assert message["List-Unsubscribe-Post"].strip() == "List-Unsubscribe=One-Click"


def test_running_the_digest_twice_in_a_week_sends_nobody_a_second_copy(
    smtp_server, deliver, digest
):
    subscribe("rosa@example.com", digest)
    make_article(title="New this week")
    send_digest()
    send_digest()
    deliver()
    assert len(smtp_server.messages) == 1
    assert Edition.objects.count() == 1


def test_a_digest_started_again_after_a_crash_half_way_sends_each_subscriber_one_copy(
    smtp_server, deliver, digest, monkeypatch
):
    from outbox import queue

    for number in range(5):
        subscribe(f"reader{number}@example.com", digest)
    make_article(title="New this week")
    real_send_bulk = queue.send_bulk

    def crash_after_two(content, recipients, **kwargs):
        def two_then_crash():
            for number, recipient in enumerate(recipients):
                if number == 2:
                    raise RuntimeError("the machine went down")
                yield recipient

        return real_send_bulk(content, two_then_crash(), **kwargs, chunk=1)

    monkeypatch.setattr(queue, "send_bulk", crash_after_two)
    with pytest.raises(RuntimeError):
        send_digest()
    monkeypatch.setattr(queue, "send_bulk", real_send_bulk)
    assert Email.objects.count() == 2
    send_digest()
    deliver()
    assert sorted(message["To"] for message in smtp_server.messages) == [
        f"reader{number}@example.com" for number in range(5)
    ]


def test_no_digest_goes_out_in_a_week_without_new_articles(deliver, digest):
    subscribe("rosa@example.com", digest)
    old = make_article(publish_at=timezone.now() - timedelta(days=30))
    type(old).objects.filter(pk=old.pk).update(released_at=old.publish_at)  # last month's news
    make_draft(title="Not yet")
    assert "nothing sent" in send_digest()
    assert not Edition.objects.exists() and not Email.objects.exists()


def test_the_next_digest_holds_what_went_public_since_the_last_even_with_an_earlier_date(
    smtp_server, deliver, digest, clock
):
    subscribe("rosa@example.com", digest)
    make_article(title="First week's news")
    send_digest()
    clock.advance(days=7)
    backdated = make_draft(title="Written last month, published today")
    backdated.status, backdated.publish_at = "published", timezone.now() - timedelta(days=30)
    publishing.save(backdated)
    make_article(title="Second week's news", publish_at=timezone.now() - timedelta(hours=1))
    send_digest()
    deliver()
    second = text_of(smtp_server.messages[1])
    assert "Written last month, published today" in second
    assert "Second week's news" in second and "First week's news" not in second


def test_a_newsletter_issue_is_previewed_tested_and_sent_once_from_the_admin(
    client, smtp_server, deliver, newsletter
):
    editor = make_user(group="Editors", email="editor@example.org")
    client.force_login(editor)
    for number in range(3):
        subscribe(f"reader{number}@example.com", newsletter)
    article = make_article(title="A trial opens in Boston")
    client.post("/admin/subscriptions/edition/add/", {
        "mailing_list": newsletter.pk, "subject": "Research Matters, December",
        "introduction": "<p>Hello <b>everyone</b><script>alert(1)</script></p>",
        "articles": [article.pk],
    })  # fmt: skip
    issue = Edition.objects.get()
    assert "<script>" not in issue.introduction
    preview = client.get(f"/admin/subscriptions/edition/{issue.pk}/preview/")
    assertContains(preview, "A trial opens in Boston")
    client.post(f"/admin/subscriptions/edition/{issue.pk}/test/")
    deliver()
    assert [message["To"] for message in smtp_server.messages] == ["editor@example.org"]
    assert smtp_server.messages[0]["Subject"] == "[Test] Research Matters, December"
    response = client.post(f"/admin/subscriptions/edition/{issue.pk}/send/")
    assert Email.objects.filter(batch=issue.batch).count() == 0  # queued, not sent in the request
    client.post(f"/admin/subscriptions/edition/{issue.pk}/send/")  # a second press
    deliver()
    assert len(smtp_server.messages) == 1 + 3
    assertContains(client.get(response["Location"]), "Sent 3 of 3")
    assertContains(client.get(f"/admin/subscriptions/edition/{issue.pk}/change/"), "Sent 3 of 3")


def test_a_mail_programs_one_click_unsubscribe_leaves_only_that_list(digest, newsletter):
    rosa = subscribe("rosa@example.com", digest)
    subscribe("rosa@example.com", newsletter)
    provider = Client(enforce_csrf_checks=True)  # no cookie, no CSRF token
    response = provider.post(
        path_of(unsubscribe_url(rosa, [digest.pk])),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    statuses = dict(Subscription.objects.values_list("mailing_list__slug", "status"))
    assert statuses == {"weekly-digest": Status.LEFT, "research-matters": Status.CONFIRMED}


def test_after_unsubscribing_the_next_digest_is_not_sent_to_them(smtp_server, deliver, digest):
    rosa = subscribe("rosa@example.com", digest)
    Client().post(path_of(unsubscribe_url(rosa, [digest.pk])))
    make_article(title="New this week")
    send_digest()
    deliver()
    assert smtp_server.messages == []


def test_opening_an_unsubscribe_link_changes_nothing(client, digest):
    rosa = subscribe("rosa@example.com", digest)
    assertContains(client.get(path_of(unsubscribe_url(rosa, [digest.pk]))), "Unsubscribe?")
    assert Subscription.objects.get().status == Status.CONFIRMED


def test_an_altered_unsubscribe_or_manage_link_gets_a_clear_page(client):
    for url in ("/subscribe/unsubscribe/altered/", "/subscribe/manage/altered/"):
        assertContains(client.post(url), "This link does not work", status_code=400)


def test_the_manage_page_shows_and_changes_ones_lists_without_logging_in(digest, newsletter):
    rosa = subscribe("rosa@example.com", digest)
    page = Client().get(path_of(manage_url(rosa)))
    assertContains(page, "What rosa@example.com receives")
    Client().post(path_of(manage_url(rosa)), {"lists": [newsletter.pk]})
    statuses = dict(Subscription.objects.values_list("mailing_list__slug", "status"))
    assert statuses == {"weekly-digest": Status.LEFT, "research-matters": Status.CONFIRMED}


def test_the_manage_page_leaves_everything_at_once(digest, newsletter):
    rosa = subscribe("rosa@example.com", digest)
    subscribe("rosa@example.com", newsletter)
    page = Client().post(path_of(manage_url(rosa)), {"leave_all": "1"})
    assertContains(page, "we will not send rosa@example.com any newsletter or digest")
    assert set(Subscription.objects.values_list("status", flat=True)) == {Status.LEFT}


def test_every_subscriber_email_links_to_unsubscribe_and_to_the_manage_page(
    smtp_server, deliver, digest
):
    rosa = subscribe("rosa@example.com", digest)
    make_article()
    send_digest()
    deliver()
    message = smtp_server.messages[0]
    # Signed links carry the time they were made: compare what they say, not their text.
    one_click = message["List-Unsubscribe"].strip()
    assert one_click.startswith("<https://127.0.0.1/subscribe/unsubscribe/")
    assert read_unsubscribe_token(one_click[1:-1].rstrip("/").rsplit("/", 1)[1]) == (
        rosa.pk,
        [digest.pk],
    )
    for body in (text_of(message), html_of(message)):
        token = re.search(r"https://127\.0\.0\.1/subscribe/manage/([^/\s]+)/", body).group(1)
        assert read_manage_token(token) == rosa.pk


def test_staff_see_subscribers_with_their_lists_and_export_them(client, digest, newsletter):
    subscribe("rosa@example.com", digest)
    subscribe("rosa@example.com", newsletter, status=Status.PENDING)
    client.force_login(make_user(group="Editors"))
    listing = client.get("/admin/subscriptions/subscriber/")
    assertContains(listing, "Weekly blog digest (confirmed)")
    assertContains(listing, "Research Matters (waiting for confirmation)")
    rosa = Subscriber.objects.get()
    export = client.post(
        "/admin/subscriptions/subscriber/",
        {"action": "export_csv", "_selected_action": [rosa.pk]},
    )
    assert export["Content-Type"].startswith("text/csv")
    assert "rosa@example.com,Weekly blog digest,Confirmed" in export.content.decode()
    index = client.get("/admin/")
    assertContains(index, "Weekly blog digest 1")
    assertContains(index, "Research Matters 0")


def issue_of(newsletter, **fields):
    return Edition.objects.create(
        mailing_list=newsletter, subject="Research Matters, December", **fields
    )


def test_a_second_press_of_send_warns_and_queues_nothing_more(client, newsletter):
    from django_tasks_db.models import DBTaskResult

    client.force_login(make_user(group="Editors", email="editor@example.org"))
    issue = issue_of(newsletter)
    client.post(f"/admin/subscriptions/edition/{issue.pk}/send/")
    queued = DBTaskResult.objects.count()
    response = client.post(f"/admin/subscriptions/edition/{issue.pk}/send/", follow=True)
    assertContains(response, "This issue has been sent already: it is never sent twice.")
    assert DBTaskResult.objects.count() == queued


def test_opening_the_send_address_sends_nothing(client, newsletter):
    from django_tasks_db.models import DBTaskResult

    client.force_login(make_user(group="Editors"))
    issue = issue_of(newsletter)
    response = client.get(f"/admin/subscriptions/edition/{issue.pk}/send/")  # a link prefetch
    assert response.status_code == 405
    issue.refresh_from_db()
    assert issue.status == Edition.Status.DRAFT and not DBTaskResult.objects.exists()


@pytest.mark.parametrize("step", ["preview", "test", "send"])
def test_authors_and_moderators_cannot_preview_test_or_send_an_issue(client, newsletter, step):
    issue = issue_of(newsletter)
    for group in ("Authors", "Moderators"):
        client.force_login(make_user(group=group, email="someone@example.org"))
        url = f"/admin/subscriptions/edition/{issue.pk}/{step}/"
        response = client.get(url) if step == "preview" else client.post(url)
        assert response.status_code == 403, group
    issue.refresh_from_db()
    assert issue.status == Edition.Status.DRAFT
    assert not Email.objects.exists()


def test_an_issue_being_sent_can_no_longer_be_edited(client, newsletter):
    client.force_login(make_user(group="Editors"))
    issue = issue_of(newsletter, status=Edition.Status.SENDING)
    client.post(f"/admin/subscriptions/edition/{issue.pk}/change/", {
        "mailing_list": newsletter.pk, "subject": "Changed after sending", "introduction": "",
    })  # fmt: skip
    issue.refresh_from_db()
    assert issue.subject == "Research Matters, December"


def test_unsubscribing_twice_changes_nothing_the_second_time(digest, clock):
    rosa = subscribe("rosa@example.com", digest)
    url = path_of(unsubscribe_url(rosa, [digest.pk]))
    Client().post(url)
    first = Subscription.objects.get().left_at
    clock.advance(days=1)
    Client().post(url)
    assert Subscription.objects.get().left_at == first


def test_the_manage_page_offers_only_lists_open_to_readers_and_ones_already_received(
    digest, newsletter
):
    rosa = subscribe("rosa@example.com", digest)
    newsletter.is_public = False
    newsletter.save()
    url = path_of(manage_url(rosa))
    page = Client().get(url).content.decode()
    assert "Research Matters" not in page and "Weekly blog digest" in page
    Client().post(url, {"lists": [digest.pk, newsletter.pk]})  # a crafted post
    assert not Subscription.objects.filter(mailing_list=newsletter).exists()
    digest.is_public = False
    digest.save()
    assert "Weekly blog digest" in Client().get(url).content.decode()  # still theirs to leave


def test_an_issue_still_being_stored_says_sending_not_sent(client, newsletter):
    client.force_login(make_user(group="Editors"))
    issue_of(newsletter, status=Edition.Status.SENDING, recipients=3)
    assertContains(client.get("/admin/subscriptions/edition/"), "Sending: 0 of 3 sent so far")
