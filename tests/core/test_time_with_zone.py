"""Times on public pages: comments say their zone once, above them, with each exact time,
zone included, on hover and in the markup."""

from datetime import UTC, datetime

import pytest
from django.template import Context, Template
from django.utils import timezone

from comments.models import Comment
from tests.factories import make_article, make_comment

pytestmark = pytest.mark.django_db


def rendered(moment, css_class=""):
    argument = f':"{css_class}"' if css_class else ""
    template = Template("{% load zones %}{{ moment|time_with_zone" + argument + " }}")
    return template.render(Context({"moment": moment}))


def test_comment_times_are_in_the_sites_zone_named_once_with_the_exact_time_on_hover(client):
    article = make_article()
    comment = make_comment(article, body="Thank you.")
    Comment.objects.filter(pk=comment.pk).update(
        created_at=datetime(2026, 12, 1, 19, 5, 9, tzinfo=UTC)
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert (
        '<time class="comment__date" datetime="2026-12-01T14:05:09-05:00" '
        'title="Tuesday 1 December 2026, 14:05:09 New York time (UTC-05:00)">'
        "December 1, 2026 at 2:05 p.m.</time>"
    ) in html
    assert html.count("New York time</time>") == 0
    assert html.count('<p class="comments__zone">Times are New York time.</p>') == 1


def test_in_summer_the_offset_and_clock_follow_daylight_saving():
    html = rendered(datetime(2026, 7, 1, 12, 0, tzinfo=UTC))
    assert 'datetime="2026-07-01T08:00:00-04:00"' in html
    assert "July 1, 2026 at 8:00 a.m., New York time" in html


def test_the_time_follows_the_zone_in_force_and_names_it():
    with timezone.override("Europe/London"):
        html = rendered(datetime(2026, 12, 1, 19, 5, tzinfo=UTC), "when")
    assert html.startswith('<time class="when" datetime="2026-12-01T19:05:00+00:00"')
    assert "December 1, 2026 at 7:05 p.m., London time" in html


def test_no_time_shows_nothing():
    assert rendered(None) == ""
