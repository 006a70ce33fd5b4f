from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from articles import publishing
from articles.models import Article
from tests.factories import make_article, make_draft, make_scheduled

pytestmark = pytest.mark.django_db


def test_two_articles_cannot_share_a_web_address():
    make_article(slug="tofersen-news")
    with pytest.raises(IntegrityError):
        make_article(slug="tofersen-news")


def test_publishing_without_a_time_publishes_at_once():
    article = make_draft()
    assert article.publish_at is None
    article.status = Article.Status.PUBLISHED
    publishing.save(article)
    assert article.publish_at <= timezone.now()
    assert article.is_public


def test_a_future_publish_time_means_scheduled_not_public():
    article = make_scheduled()
    assert article.is_scheduled
    assert not article.is_public
    assert article.state_label == "Scheduled"
    assert not Article.objects.published().filter(pk=article.pk).exists()


def test_a_scheduled_article_goes_public_when_its_time_comes_without_any_job(clock):
    article = make_article(publish_at=timezone.now() + timedelta(hours=1))
    assert not Article.objects.published().filter(pk=article.pk).exists()
    clock.advance(hours=2)
    assert Article.objects.published().filter(pk=article.pk).exists()


def test_drafts_are_never_public_whatever_their_time():
    article = make_article(
        status=Article.Status.DRAFT, publish_at=timezone.now() - timedelta(days=1)
    )
    assert not article.is_public
    assert not Article.objects.published().exists()


def test_reading_time_follows_the_length_of_the_body():
    short = make_article(body="<p>" + "word " * 100 + "</p>")
    long = make_article(body="<p>" + "word " * 1000 + "</p>")
    assert short.reading_minutes == 1
    assert long.reading_minutes == 5


def test_the_body_is_sanitized_even_when_saved_outside_the_admin():
    article = make_article(body='<p onclick="steal()">Hi<script>alert(1)</script></p>')
    article.refresh_from_db()
    assert article.body == "<p>Hi</p>"
    assert "script" not in article.body_html


def test_plain_text_of_the_body_is_kept_for_search():
    article = make_article(body="<h2>Results</h2><p>Strength <strong>improved</strong>.</p>")
    assert "Results" in article.body_text
    assert "<" not in article.body_text


def test_an_article_cannot_be_published_with_an_empty_body():
    article = make_draft(body="<p></p>")
    article.status = Article.Status.PUBLISHED
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    assert "body" in error.value.message_dict


def test_comments_are_open_by_default():
    assert make_article().comments_open
