"""A health article says who last checked it and when; old reviews are listed as due."""

from datetime import date, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles import review_dates
from articles.models import Article
from tests.factories import NO_SOURCES, make_article, make_user
from tests.visits import get_counting_queries

pytestmark = pytest.mark.django_db

CLINICIAN = "Dr Ana Ruiz, consultant neurologist"


def months_ago(months, days=0):
    return review_dates.add_months(review_dates.today(), -months) - timedelta(days=days)


@pytest.fixture
def editor():
    client = Client()
    client.force_login(make_user(group="Editors"))
    return client


def article_form(article, **review):
    return {
        "title": article.title,
        "slug": article.slug,
        "author": article.author_id,
        "summary": article.summary,
        "body": article.body,
        "category": article.category_id,
        "status": article.status,
        "publish_at_0": article.publish_at.strftime("%Y-%m-%d"),
        "publish_at_1": article.publish_at.strftime("%H:%M:%S"),
        "comments_open": "on",
        "reviewed_by": "",
        "reviewer_name": "",
        "last_reviewed": "",
        **NO_SOURCES,
        **review,
    }


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


# Readers


def test_readers_see_who_reviewed_the_article_and_when_under_the_byline(client):
    article = make_article(reviewer_name=CLINICIAN, last_reviewed=date(2026, 3, 3))
    html = client.get(article.get_absolute_url()).content.decode()
    line = html[html.index('<div class="article-meta article-review">') :]
    line = " ".join(line[: line.index("</div>")].split())
    assert f"Reviewed by {CLINICIAN}" in line
    assert 'Last reviewed <time datetime="2026-03-03">March 3, 2026</time>' in line
    assert html.index('class="article-meta"') < html.index('class="article-meta article-review"')


def test_a_staff_reviewer_is_shown_by_their_full_name(client):
    nurse = make_user(group="Editors", first_name="Maya", last_name="Okafor")
    article = make_article(reviewed_by=nurse, last_reviewed=date(2026, 3, 3))
    assertContains(client.get(article.get_absolute_url()), "Reviewed by Maya Okafor")


def test_an_article_never_reviewed_shows_no_review_line(client):
    page = client.get(make_article().get_absolute_url())
    assertNotContains(page, "article-review")
    assertNotContains(page, "Reviewed by")


def test_a_staff_reviewer_costs_the_article_page_no_extra_query(client):
    plain = make_article()
    reviewed = make_article(reviewed_by=make_user(group="Editors"), last_reviewed=date(2026, 3, 3))
    client.get(make_article().get_absolute_url())  # what any first page reads once (the footer)
    _, few = get_counting_queries(client, plain.get_absolute_url())
    _, with_reviewer = get_counting_queries(client, reviewed.get_absolute_url())
    assert with_reviewer == few


# Editors


def test_an_editor_records_a_clinicians_review(editor):
    article = make_article()
    form = article_form(article, reviewer_name=CLINICIAN, last_reviewed="2026-03-03")
    assert editor.post(change_url(article), form).status_code == 302
    article.refresh_from_db()
    assert (article.reviewer, article.last_reviewed) == (CLINICIAN, date(2026, 3, 3))


def test_a_review_date_without_a_reviewer_is_refused_next_to_the_reviewer(editor):
    article = make_article()
    page = editor.post(change_url(article), article_form(article, last_reviewed="2026-03-03"))
    errors = page.context["adminform"].form.errors
    assert errors["reviewed_by"] == [
        "Say who reviewed the article: a member of staff or a clinician."
    ]


def test_a_reviewer_without_a_date_is_refused_next_to_the_date(editor):
    article = make_article()
    page = editor.post(change_url(article), article_form(article, reviewer_name=CLINICIAN))
    errors = page.context["adminform"].form.errors
    assert "Give the date of the review" in errors["last_reviewed"][0]


def test_two_reviewers_at_once_are_refused(editor):
    article = make_article()
    staff = make_user(group="Editors")
    form = article_form(
        article, reviewed_by=staff.pk, reviewer_name=CLINICIAN, last_reviewed="2026-03-03"
    )
    errors = editor.post(change_url(article), form).context["adminform"].form.errors
    assert "not both" in errors["reviewer_name"][0]


def test_a_review_date_in_the_future_is_refused(editor):
    article = make_article()
    later = (review_dates.today() + timedelta(days=5)).isoformat()
    form = article_form(article, reviewer_name=CLINICIAN, last_reviewed=later)
    errors = editor.post(change_url(article), form).context["adminform"].form.errors
    assert errors["last_reviewed"] == ["A review date cannot be in the future."]
    article.refresh_from_db()
    assert article.last_reviewed is None


# Due for review


def test_an_article_reviewed_longer_ago_than_the_setting_is_due(settings):
    settings.ARTICLES_REVIEW_AFTER_MONTHS = 12
    old = make_article(reviewer_name=CLINICIAN, last_reviewed=months_ago(12))
    make_article(reviewer_name=CLINICIAN, last_reviewed=months_ago(11))
    make_article()  # never reviewed: not due
    assert list(Article.objects.due_for_review()) == [old]
    settings.ARTICLES_REVIEW_AFTER_MONTHS = 6
    assert Article.objects.due_for_review().count() == 2


def test_the_due_list_and_each_due_date_agree_on_every_day_of_a_leap_year(settings):
    for months in (1, 12):
        settings.ARTICLES_REVIEW_AFTER_MONTHS = months
        for offset in range(0, 400):
            day = date(2024, 1, 1) + timedelta(days=offset)
            cutoff = review_dates.add_months(day, -months)
            for reviewed in [cutoff - timedelta(days=1), cutoff, cutoff + timedelta(days=1)]:
                due_by_date = review_dates.due_date(reviewed) <= day
                due_by_list = reviewed <= latest_due_review_on(day)
                assert due_by_date == due_by_list, (months, day, reviewed)


def latest_due_review_on(day):
    noon = timezone.make_aware(datetime(day.year, day.month, day.day, 12))
    return review_dates.latest_due_review(noon)


def test_the_article_list_filters_and_marks_articles_due_for_review(editor):
    due = make_article(
        title="Riluzole explained", reviewer_name=CLINICIAN, last_reviewed=date(2024, 3, 3)
    )
    make_article(title="New trial opens", reviewer_name=CLINICIAN, last_reviewed=months_ago(1))
    make_article(title="Never checked")
    changelist = reverse("admin:articles_article_changelist")
    listed = editor.get(changelist, {"review": "due"})
    assert [article.title for article in listed.context["cl"].result_list] == [due.title]
    assertContains(listed, f"Due since {review_dates.due_date(date(2024, 3, 3)):%B} ")
    everything = editor.get(changelist).content.decode()
    assert "Reviewed " in everything and "—" in everything
    never = editor.get(changelist, {"review": "never"}).context["cl"].result_list
    assert [article.title for article in never] == ["Never checked"]


def test_the_admins_front_page_counts_articles_due_for_review_for_editors(editor):
    make_article(reviewer_name=CLINICIAN, last_reviewed=date(2024, 3, 3))
    make_article(reviewer_name=CLINICIAN, last_reviewed=date(2024, 5, 3))
    page = editor.get("/admin/")
    assertContains(page, '<a href="/admin/articles/article/?review=due"><strong>2 articles due')
    moderator = Client()
    moderator.force_login(make_user(group="Moderators"))
    assertNotContains(moderator.get("/admin/"), "due for review")


def test_the_front_page_says_nothing_when_no_article_is_due(editor):
    make_article(reviewer_name=CLINICIAN, last_reviewed=months_ago(1))
    assertNotContains(editor.get("/admin/"), "due for review")
