"""Spam and abuse rules, without a CAPTCHA: honeypot, timing, flooding, duplicates, links."""

import time
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from pytest_django.asserts import assertContains

from comments import rules
from comments.forms import sign_timestamp
from comments.models import BlockedWord, Comment
from tests.factories import form_data, make_article, make_comment, make_user, post_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return make_article()


@pytest.fixture
def moderator():
    return make_user(group="Moderators", email="mod@example.org")


def post(client, article, **fields):
    return client.post(post_url(article), form_data(article, **fields), REMOTE_ADDR="203.0.113.7")


def reasons():
    return Comment.objects.latest("pk").held_reasons


def test_a_filled_honeypot_stores_spam_but_shows_the_ordinary_notice(
    client, article, moderator, deliver
):
    response = post(client, article, website="http://spam.example")
    deliver()
    assert Comment.objects.get().status == Comment.Status.SPAM
    notice = client.get(response["Location"], follow=True)
    assertContains(notice, "Thanks, your comment is awaiting moderation")
    assert mail.outbox == []  # moderators are not bothered with robots


def test_a_form_sent_in_under_three_seconds_is_held_with_that_reason(client, article):
    post(client, article, timestamp=sign_timestamp(article.pk, now=time.time() - 1))
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert any("too fast for a person" in reason for reason in comment.held_reasons)


def test_a_form_handed_out_by_a_front_cache_at_the_end_of_its_keeping_gets_a_day_to_write(
    client, article, settings
):
    # The page, and its form's timestamp, kept as long as a front cache may (and served
    # while the site is down), then opened by a reader who writes for most of a day.
    kept = (
        settings.FRONT_CACHE_SECONDS
        + settings.FRONT_CACHE_REVALIDATE_SECONDS
        + settings.FRONT_CACHE_IF_ERROR_SECONDS
    )
    handed_out = sign_timestamp(article.pk, now=time.time() - kept - 23 * 60 * 60)
    post(client, article, timestamp=handed_out, body="Written slowly, over a day")
    assert Comment.objects.get().body == "Written slowly, over a day"


def test_a_form_older_than_that_is_refused_with_a_fresh_one_to_resend(client, article, settings):
    stale = sign_timestamp(article.pk, now=time.time() - settings.COMMENTS_FORM_MAX_AGE - 60)
    response = post(client, article, timestamp=stale, body="Still here after a day")
    assertContains(response, "This form was opened too long ago")
    assertContains(response, "Still here after a day")
    assert Comment.objects.count() == 0
    fresh = response.context["comment_form"].data["timestamp"]
    assert fresh != stale
    post(client, article, timestamp=fresh, body="Still here after a day")
    assert Comment.objects.count() == 1


@pytest.mark.parametrize("timestamp", ["", "forged", "another article's"])
def test_a_missing_forged_or_foreign_timestamp_is_refused(client, article, timestamp):
    if timestamp == "another article's":
        timestamp = sign_timestamp(999999)
    response = post(client, article, timestamp=timestamp)
    assertContains(response, "This form was opened too long ago")
    assert Comment.objects.count() == 0


def test_a_second_comment_from_the_same_address_within_fifteen_seconds_must_wait(client, article):
    post(client, article, email="one@example.com", body="First thought")
    response = post(client, article, email="two@example.com", body="Second thought")
    assertContains(response, "Please wait 15 seconds between comments")
    assertContains(response, "Second thought")
    assert Comment.objects.count() == 1


def test_a_second_comment_from_the_same_email_within_fifteen_seconds_must_wait(article):
    Client().post(post_url(article), form_data(article, body="One"), REMOTE_ADDR="198.51.100.1")
    response = Client().post(
        post_url(article), form_data(article, body="Two"), REMOTE_ADDR="198.51.100.2"
    )
    assertContains(response, "Please wait 15 seconds")


def test_after_the_wait_the_next_comment_is_accepted(client, article):
    post(client, article, body="Before")
    Comment.objects.update(created_at=timezone.now() - timedelta(seconds=16))
    post(client, article, body="After")
    assert Comment.objects.count() == 2


def test_the_flood_interval_is_a_setting(client, article, no_flood_wait):
    post(client, article, body="One")
    post(client, article, body="Two")
    assert Comment.objects.count() == 2


def test_an_identical_comment_is_refused_as_already_posted(client, article):
    make_comment(article, email="marisol@example.com", body="Same words",
                 created_at=timezone.now() - timedelta(hours=1))  # fmt: skip
    response = post(client, article, body="Same words")
    assertContains(response, "You have already posted this comment")
    assert Comment.objects.count() == 1


def test_more_links_than_allowed_are_held_with_that_reason(client, article):
    post(client, article, body="See https://a.example.com, www.b.example.org and c.example.net/x")
    assert "Contains 3 links (more than 2)" in reasons()


def test_two_links_are_allowed_without_a_links_reason(client, article):
    post(client, article, body="See https://a.example.com and www.b.example.org")
    assert not any("links" in reason for reason in reasons())


def test_the_link_limit_is_a_setting(client, article, settings):
    settings.COMMENTS_MAX_LINKS = 0
    post(client, article, body="See https://a.example.com")
    assert "Contains 1 links (more than 0)" in reasons()


def test_a_blocklisted_word_holds_the_comment_with_that_reason(client, article):
    rules.save(BlockedWord(phrase="Miracle Cure"))
    post(client, article, body="Try this miracle cure today")
    assert "Contains the blocklisted word “miracle cure”" in reasons()


def test_a_blocklisted_word_matches_whole_words_only(client, article):
    rules.save(BlockedWord(phrase="cure"))
    post(client, article, body="Secure funding matters")
    assert not any("blocklisted" in reason for reason in reasons())


def test_a_blocklisted_phrase_matches_a_phones_curly_apostrophe(client, article):
    rules.save(BlockedWord(phrase="can't stand"))
    post(client, article, body="I can’t stand this place")
    assert "Contains the blocklisted word “can't stand”" in reasons()


def test_a_first_comment_from_an_email_is_flagged_as_such(client, article):
    post(client, article)
    assert "First comment from this email address" in reasons()


def test_a_known_commenter_is_not_flagged_as_new(client, article):
    make_comment(article, email="marisol@example.com", created_at=timezone.now() - timedelta(1))
    post(client, article, body="Back again")
    assert "First comment from this email address" not in reasons()


def test_known_commenters_still_wait_for_review_by_default(client, article):
    make_comment(article, email="marisol@example.com", created_at=timezone.now() - timedelta(1))
    post(client, article, body="Back again")
    assert Comment.objects.latest("pk").status == Comment.Status.PENDING


def test_with_the_setting_on_a_known_commenter_is_approved_at_once(client, article, settings):
    settings.COMMENTS_AUTO_APPROVE_KNOWN = True
    make_comment(article, email="marisol@example.com", created_at=timezone.now() - timedelta(1))
    post(client, article, body="Back again")
    comment = Comment.objects.latest("pk")
    assert comment.status == Comment.Status.APPROVED
    article.refresh_from_db()
    assert article.comment_count == 2


def test_with_the_setting_on_a_known_commenter_with_many_links_still_waits(
    client, article, settings
):
    settings.COMMENTS_AUTO_APPROVE_KNOWN = True
    make_comment(article, email="marisol@example.com", created_at=timezone.now() - timedelta(1))
    post(client, article, body="https://a.example.com https://b.example.com https://c.example.com")
    assert Comment.objects.latest("pk").status == Comment.Status.PENDING


def test_with_the_setting_on_a_newcomer_still_waits(client, article, settings):
    settings.COMMENTS_AUTO_APPROVE_KNOWN = True
    post(client, article)
    assert Comment.objects.get().status == Comment.Status.PENDING


def test_the_address_and_browser_are_recorded_for_abuse_checks(client, article):
    client.post(post_url(article), form_data(article), REMOTE_ADDR="203.0.113.9",
                HTTP_USER_AGENT="TestBrowser/1.0")  # fmt: skip
    comment = Comment.objects.get()
    assert (comment.ip_address, comment.user_agent) == ("203.0.113.9", "TestBrowser/1.0")


def test_behind_a_proxy_the_forwarded_address_is_recorded(client, article, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    client.post(post_url(article), form_data(article), REMOTE_ADDR="10.0.0.2",
                HTTP_X_FORWARDED_FOR="198.51.100.77")  # fmt: skip
    assert Comment.objects.get().ip_address == "198.51.100.77"
