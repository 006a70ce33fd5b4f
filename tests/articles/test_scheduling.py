"""Scheduling is an action (issue 20, finding 7): an editor chooses a day and a time on the
article's page, the button says what will happen, and the article goes public then, not
before."""

from datetime import datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article, ReviewStep
from core import when
from core.models import StaffPreferences
from tests.articles.editing import change_url, sent_form
from tests.factories import make_article, make_draft, make_user

pytestmark = pytest.mark.django_db
Status = Article.Status
ZONE = "America/New_York"
WHEN = "/admin/articles/article/when/"


def staff(group="Editors"):
    user = make_user(group=group)
    StaffPreferences.objects.create(user=user, time_zone=ZONE)
    client = Client()
    client.force_login(user)
    return client


def in_three_days_at_nine():
    """09:00 New York time, three days from now: a time to come, whatever the time is now."""
    zone = when.zone_named(ZONE)
    day = timezone.localdate(timezone.now(), zone) + timedelta(days=3)
    return datetime(day.year, day.month, day.day, 9, 0, tzinfo=zone)


def schedule(client, article, at, **fields):
    data = sent_form(
        article,
        schedule_at_0=at.strftime("%Y-%m-%d"),
        schedule_at_1=at.strftime("%H:%M"),
        _schedule="1",
        **fields,
    )
    return client.post(change_url(article), data, follow=True)


def test_scheduling_stores_it_published_at_that_time_and_it_is_public_only_then(clock):
    article = make_draft(title="A trial opens in Boston")
    at = in_three_days_at_nine()
    page = schedule(staff(), article, at)

    article.refresh_from_db()
    assert (article.status, article.publish_at) == (Status.PUBLISHED, at)
    day = f"{at:%A} {at.day} {at:%B}"
    # Back on its page, which says when it goes public, in the editor's zone.
    assert page.redirect_chain[-1][0] == change_url(article)
    assertContains(page, f"Scheduled: goes public {day} at 09:00, New York time; that is in ")

    reader = Client()
    assert reader.get(article.get_absolute_url()).status_code == 404
    assertNotContains(reader.get("/"), "A trial opens in Boston")
    clock.advance(seconds=(at - timezone.now()).total_seconds() - 60)
    assert not Article.objects.published().filter(pk=article.pk).exists()  # a minute before
    clock.advance(minutes=2)
    assert reader.get(article.get_absolute_url()).status_code == 200
    assertContains(reader.get("/"), "A trial opens in Boston")


def test_the_button_says_what_will_happen_in_words():
    at = in_three_days_at_nine()
    article = make_article(publish_at=at)  # already scheduled
    page = staff().get(change_url(article))
    day = f"{at:%A} {at.day} {at:%B}"
    assertContains(page, f"Publish on {day} at 09:00, New York time</button>")
    # As the editor types another time, the words follow.
    typed = {"date": "2030-07-01", "time": "09:00", "status": "published"}
    answer = staff().get(WHEN, typed).json()
    assert answer["button"].startswith("Publish on Monday 1 July 2030 at 09:00, New York time")
    assert answer["schedule"].startswith("It goes public by itself then; that is in ")
    # A draft without a time yet: the button only says Schedule.
    assertContains(staff().get(change_url(make_draft())), ">Schedule</button>")


def test_scheduling_a_waiting_article_ends_its_review():
    author = make_user(group="Authors")
    article = make_article(status=Status.REVIEW, publish_at=None, author=author)
    at = in_three_days_at_nine()
    schedule(staff(), article, at)
    article.refresh_from_db()
    assert (article.status, article.publish_at) == (Status.PUBLISHED, at)
    assert article.review_steps.latest("at").kind == ReviewStep.Kind.PUBLISHED


def test_the_review_panel_offers_schedule_beside_send_back():
    article = make_article(status=Status.REVIEW, publish_at=None)
    page = staff().get(change_url(article))
    assertContains(page, 'href="#schedule">Schedule…</a>')
    assertContains(page, "Send back to the author</a>")
    assertContains(page, 'name="_schedule"')


def test_a_time_gone_by_is_refused_and_nothing_changes():
    article = make_draft()
    page = schedule(staff(), article, timezone.localtime(timezone.now()) - timedelta(hours=2))
    assertContains(page, "That time has passed: choose a later one.")
    article.refresh_from_db()
    assert (article.status, article.publish_at) == (Status.DRAFT, None)


def test_scheduling_without_a_time_asks_for_one():
    article = make_draft()
    data = sent_form(article, schedule_at_0="", schedule_at_1="", _schedule="1")
    page = staff().post(change_url(article), data)
    assertContains(page, "Choose the day and the time it goes public.")
    article.refresh_from_db()
    assert article.status == Status.DRAFT


def test_authors_are_offered_no_schedule_and_cannot_send_one():
    author = make_user(group="Authors")
    client = Client()
    client.force_login(author)
    article = make_draft(author=author)
    assertNotContains(client.get(change_url(article)), 'name="_schedule"')
    page = schedule(client, article, in_three_days_at_nine())
    assertContains(page, "Only editors schedule articles.")
    article.refresh_from_db()
    assert article.status == Status.DRAFT


def test_a_public_article_has_no_schedule_panel():
    assertNotContains(staff().get(change_url(make_article())), 'name="_schedule"')
