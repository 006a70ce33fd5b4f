"""The article form confirms the publish time in words, in the editor's own time zone."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains

from core.models import StaffPreferences
from tests.factories import NO_SOURCES, make_article, make_user

pytestmark = pytest.mark.django_db

WORDS = "/admin/articles/article/when/"


def staff_in(zone, group="Editors"):
    user = make_user(group=group)
    StaffPreferences.objects.create(user=user, time_zone=zone)
    client = Client()
    client.force_login(user)
    return client


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def test_a_scheduled_article_says_when_it_publishes_in_the_editors_zone():
    # Two days ahead at 09:00 London time, whatever the time is now.
    day = timezone.localdate(timezone.now(), timezone.get_fixed_timezone(0)) + timedelta(days=3)
    publish_at = datetime(day.year, day.month, day.day, 9, 0, tzinfo=UTC)
    article = make_article(publish_at=publish_at)
    page = staff_in("UTC").get(change_url(article))
    assertContains(page, f"Scheduled: publishes on {day:%A} {day.day} {day:%B}")
    assertContains(page, "at 09:00, UTC; that is in ")
    assertContains(page, "You enter times in UTC")


def test_a_published_article_says_how_long_ago_it_went_out(clock):
    # At 15:00 in London, so that three hours ago is the same day (before 03:00 it would be
    # "yesterday, 3 hours ago").
    london = timezone.localtime(timezone.now(), ZoneInfo("Europe/London"))
    clock.advance(seconds=(london.replace(hour=15, minute=0) - london).total_seconds() % 86400)
    article = make_article(publish_at=timezone.now() - timedelta(hours=3, minutes=1))
    page = staff_in("Europe/London").get(change_url(article))
    assertContains(page, "London time; that was 3 hours ago.")


def test_a_draft_says_it_is_not_public_whatever_its_time(clock):
    # At 12:00 in London, so that two days and five minutes ahead is two calendar days ahead
    # (after 23:55 it would be three).
    london = timezone.localtime(timezone.now(), ZoneInfo("Europe/London"))
    clock.advance(seconds=(london.replace(hour=12, minute=0) - london).total_seconds() % 86400)
    article = make_article(status="draft", publish_at=timezone.now() + timedelta(days=2, minutes=5))
    page = staff_in("Europe/London").get(change_url(article))
    assertContains(page, "Draft, not public. Its publish time is ")
    assertContains(page, "London time; that is in 2 days.")


def test_an_article_waiting_for_review_is_not_called_a_draft():
    article = make_article(status="review", publish_at=timezone.now() + timedelta(days=2))
    page = staff_in("Europe/London").get(change_url(article))
    assertContains(page, "Waiting for review, not public. Its publish time is ")


def test_a_waiting_article_without_a_time_is_told_an_editor_gives_it_one():
    article = make_article(status="review", publish_at=None)
    page = staff_in("Europe/London").get(change_url(article))
    assertContains(page, "No publish time yet: it gets one when an editor publishes it.")


def test_the_words_follow_what_the_editor_types():
    answer = staff_in("Europe/London").get(
        WORDS, {"date": "2030-07-01", "time": "09:00", "status": "published"}
    )
    assert answer.json()["valid"] is True
    assert answer.json()["phrase"].startswith(
        "Scheduled: publishes on Monday 1 July 2030 at 09:00, London time; that is in "
    )


def test_the_same_typed_time_is_read_in_each_editors_own_zone():
    typed = {"date": "2030-07-01", "time": "09:00", "status": "draft"}
    london = staff_in("Europe/London").get(WORDS, typed).json()["phrase"]
    sydney = staff_in("Australia/Sydney").get(WORDS, typed).json()["phrase"]
    assert "Monday 1 July 2030 at 09:00, London time" in london
    assert "Monday 1 July 2030 at 09:00, Sydney time" in sydney


def test_half_typed_times_get_a_hint_not_an_error():
    answer = staff_in("Europe/London").get(WORDS, {"date": "2030-07-", "time": "9"})
    assert answer.status_code == 200
    assert answer.json()["valid"] is False
    assert "Type a date such as" in answer.json()["phrase"]


def test_an_empty_publish_time_says_what_happens_on_saving():
    answer = staff_in("UTC").get(WORDS, {"date": "", "time": "", "status": "published"})
    assert answer.json()["phrase"].startswith("No publish time: the article is published the")


def test_staff_without_articles_get_no_words():
    assert staff_in("UTC", group="Moderators").get(WORDS, {"date": "2030-07-01"}).status_code == 403


def test_after_saving_the_message_repeats_the_publish_time_in_words():
    article = make_article()
    form = {
        "title": article.title,
        "slug": article.slug,
        "author": article.author_id,
        "summary": article.summary,
        "body": article.body,
        "category": article.category_id,
        "status": "published",
        "publish_at_0": "2030-12-03",
        "publish_at_1": "09:00",
        "comments_open": "on",
        **NO_SOURCES,
    }
    page = staff_in("Europe/London").post(change_url(article), form, follow=True)
    assertContains(
        page, f"“{article.title}”: Scheduled: publishes on Tuesday 3 December 2030 at 09:00"
    )
