"""Subscribing by email: double opt-in, the same answer for every address, and limits."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains

from subscriptions.models import MailingList, Subscriber, Subscription
from tests.factories import make_article
from tests.visits import served_from_cache, without_tokens

pytestmark = pytest.mark.django_db
Status = Subscription.Status
SUBSCRIBE = "/subscribe/"
CHECK_INBOX = "Check your inbox"


@pytest.fixture
def newsletter():
    return MailingList.objects.get(slug="research-matters")


@pytest.fixture
def digest():
    return MailingList.objects.get(slug="weekly-digest")


def sign_up(client, email="rosa@example.com", lists=None, website="", ip="203.0.113.9", **headers):
    lists = lists if lists is not None else MailingList.objects.all()
    data = {"email": email, "lists": [m.pk for m in lists], "website": website}
    return client.post(SUBSCRIBE, data, REMOTE_ADDR=ip, **headers)


def confirm_link(message):
    return re.search(r"https?://\S+?/subscribe/confirm/\S+/", message.body).group(0)


def path_of(url):
    return urlsplit(url).path


def test_signing_up_sends_a_link_to_confirm_and_subscribes_nobody_yet(client, deliver):
    response = sign_up(client)
    assertContains(response, CHECK_INBOX)
    deliver()
    assert [message.to for message in mail.outbox] == [["rosa@example.com"]]
    assert mail.outbox[0].subject == "Please confirm your subscription"
    assert "Research Matters and Weekly blog digest" in mail.outbox[0].body
    assert set(Subscription.objects.values_list("status", flat=True)) == {Status.PENDING}


def test_opening_the_confirmation_link_only_shows_a_button_that_confirms(client, deliver):
    sign_up(client)
    deliver()
    url = path_of(confirm_link(mail.outbox[0]))
    page = Client().get(url)  # what a mail scanner does
    assertContains(page, "Yes, subscribe me")
    assert not Subscription.objects.confirmed().exists()
    done = Client().post(url)
    assertContains(done, "You are subscribed")
    assert Subscription.objects.confirmed().count() == 2


def test_confirming_twice_changes_nothing_the_second_time(client, deliver):
    sign_up(client)
    deliver()
    url = path_of(confirm_link(mail.outbox[0]))
    Client().post(url)
    first = Subscription.objects.get(mailing_list__slug="research-matters").confirmed_at
    assertContains(Client().post(url), "You are subscribed")
    assertContains(Client().get(url), "You are already subscribed")
    assert Subscription.objects.get(mailing_list__slug="research-matters").confirmed_at == first


def test_signing_up_again_duplicates_nothing_and_answers_the_same(client, deliver, newsletter):
    first = sign_up(client, lists=[newsletter])
    deliver()
    Client().post(path_of(confirm_link(mail.outbox[0])))
    again = sign_up(Client(), lists=[newsletter])
    assert Subscriber.objects.count() == 1 and Subscription.objects.count() == 1
    assert without_tokens(again.content) == without_tokens(first.content)
    deliver()
    assert mail.outbox[-1].subject == "You are already subscribed"


def test_the_answer_never_tells_whether_an_address_is_on_a_list(client, deliver, newsletter):
    sign_up(client, email="known@example.com", lists=[newsletter])
    deliver()
    Client().post(path_of(confirm_link(mail.outbox[0])))
    known = sign_up(Client(), email="known@example.com", lists=[newsletter], ip="198.51.100.1")
    new = sign_up(Client(), email="newer@example.com", lists=[newsletter], ip="198.51.100.2")
    assert known.status_code == new.status_code == 200
    strip = lambda page: without_tokens(page.content).replace(b"known", b"").replace(b"newer", b"")  # noqa: E731
    assert strip(known) == strip(new)


def test_at_most_three_confirmation_emails_a_day_go_to_one_address(client, deliver):
    for number in range(5):
        assertContains(sign_up(Client(), ip=f"198.51.100.{number}"), CHECK_INBOX)
    deliver()
    assert len(mail.outbox) == 3


def test_at_most_ten_sign_ups_a_day_come_from_one_ip_address(client, deliver):
    for number in range(12):
        assertContains(sign_up(Client(), email=f"person{number}@example.com"), CHECK_INBOX)
    deliver()
    assert len(mail.outbox) == 10


def test_a_bad_email_address_is_explained_next_to_the_field_and_kept(client):
    response = sign_up(client, email="rosa@example")
    assert response.status_code == 400
    assertContains(response, "This does not look like an email address", status_code=400)
    assertContains(response, 'value="rosa@example"', status_code=400)
    assert not Subscriber.objects.exists()


def test_ticking_no_list_is_explained(client):
    response = sign_up(client, lists=[])
    assertContains(response, "Please tick at least one of the lists.", status_code=400)


def test_a_robot_filling_the_hidden_field_signs_nobody_up(client, deliver):
    assertContains(sign_up(client, website="http://spam.example"), CHECK_INBOX)
    deliver()
    assert not Subscriber.objects.exists() and mail.outbox == []


def test_an_altered_confirmation_link_gets_a_clear_page(client):
    response = client.get("/subscribe/confirm/not-a-real-token/")
    assertContains(response, "This link does not work", status_code=400)
    assertContains(client.post("/subscribe/confirm/not-a-real-token/"), "Nothing was changed",
                   status_code=400)  # fmt: skip


def test_a_confirmation_link_older_than_a_week_says_it_has_expired(client, deliver, monkeypatch):
    import time
    from types import SimpleNamespace

    from django.core import signing

    sign_up(client)
    deliver()
    url = path_of(confirm_link(mail.outbox[0]))
    eight_days_on = time.time() + 8 * 24 * 3600
    monkeypatch.setattr(signing, "time", SimpleNamespace(time=lambda: eight_days_on))
    assertContains(Client().post(url), "This link has expired", status_code=400)
    assert not Subscription.objects.confirmed().exists()


def test_unconfirmed_sign_ups_are_forgotten_after_seven_days(client, clock, newsletter):
    sign_up(client, email="never@example.com", lists=[newsletter])
    clock.advance(days=8)
    sign_up(Client(), email="recent@example.com", lists=[newsletter], ip="198.51.100.7")
    call_command("expire_signups", stdout=__import__("io").StringIO())
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["recent@example.com"]


def test_every_page_offers_the_sign_up_form_and_stays_cached(client):
    make_article(title="Cached with a form")
    Client().get("/")
    page = Client().get("/")
    assert served_from_cache(page)
    assertContains(page, 'action="/subscribe/"')
    assertContains(page, 'id="footer-subscribe-email"')
    assertNotContains(page, "csrfmiddlewaretoken")  # the same bytes for everyone
    assert not page.cookies


def test_the_sign_up_form_from_a_cached_page_works_with_no_token_of_the_readers_own(deliver):
    make_article()
    Client().get("/")
    reader = Client(enforce_csrf_checks=True)
    reader.get("/")
    data = {"email": "rosa@example.com", "lists": [MailingList.objects.first().pk]}
    response = reader.post(SUBSCRIBE, data, headers={"Sec-Fetch-Site": "same-origin"})
    assertContains(response, CHECK_INBOX)


def test_each_article_offers_the_form_after_its_comments_and_only_there(client):
    article = make_article()
    page = client.get(article.get_absolute_url()).content.decode()
    assert page.index('id="comments"') < page.index('id="article-subscribe-email"')
    assert page.count('name="email" ') == 2  # the comment form's and one sign-up form
    assert 'id="footer-subscribe-email"' not in page
    assert 'href="#article-subscribe-heading"' in page  # the footer points up to it


@pytest.mark.parametrize("path", ["/", "/about/", "/subscribe/", "article"])
def test_every_page_has_one_sign_up_form_whose_boxes_start_unticked(client, path):
    article = make_article()
    page = client.get(article.get_absolute_url() if path == "article" else path)
    html = page.content.decode()
    assert html.count('action="/subscribe/"') == 1
    boxes = re.findall(r'<input type="checkbox"[^>]* name="lists"[^>]*>', html)
    assert boxes and not any("checked" in box for box in boxes)


def test_where_someone_signed_up_is_kept_for_staff(client, newsletter):
    article = make_article()
    sign_up(
        client, lists=[newsletter], HTTP_REFERER=f"http://testserver{article.get_absolute_url()}"
    )
    assert Subscriber.objects.get().source == article.get_absolute_url()


def test_a_list_staff_stop_offering_is_not_on_the_form(client, newsletter):
    newsletter.is_public = False
    newsletter.save()
    assertNotContains(client.get(SUBSCRIBE), "Research Matters")


def test_an_old_confirmation_link_after_unsubscribing_says_it_subscribes_nobody(
    client, deliver, newsletter
):
    from subscriptions import signups

    sign_up(client, lists=[newsletter])
    deliver()
    url = path_of(confirm_link(mail.outbox[0]))
    Client().post(url)
    signups.leave_all(Subscriber.objects.get())
    for response in (Client().get(url), Client().post(url)):
        assertContains(response, "This link no longer subscribes you", status_code=410)
        assertNotContains(response, "You are", status_code=410)
    assert not Subscription.objects.confirmed().exists()
