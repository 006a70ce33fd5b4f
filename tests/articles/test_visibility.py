"""Drafts and scheduled articles are invisible to the public everywhere."""

import pytest
from django.urls import reverse

from articles.models import Tag
from tests.factories import make_article, make_draft, make_scheduled, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def hidden_articles():
    tag = Tag.objects.create(name="SOD1", slug="sod1")
    draft = make_draft(title="Secret draft zebrafish", body="<p>zebrafish draft</p>")
    scheduled = make_scheduled(title="Embargoed zebrafish", body="<p>zebrafish embargo</p>")
    published = make_article(title="Public zebrafish", body="<p>zebrafish public</p>")
    for article in (draft, scheduled, published):
        article.tags.add(tag)
    return draft, scheduled, published


PUBLIC_LISTS = [
    "/",
    "/category/research/",
    "/tag/sod1/",
    "/search/?q=zebrafish",
    "/feed/rss/",
    "/feed/atom/",
    "/sitemap.xml",
]


@pytest.mark.parametrize("url", PUBLIC_LISTS)
def test_only_published_articles_appear_in_public_lists(client, hidden_articles, url):
    draft, scheduled, published = hidden_articles
    content = client.get(url).content.decode()
    assert published.slug in content
    assert draft.slug not in content and draft.title not in content
    assert scheduled.slug not in content and scheduled.title not in content


def test_a_draft_page_is_not_found_for_the_public(client, hidden_articles):
    draft, scheduled, _ = hidden_articles
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(scheduled.get_absolute_url()).status_code == 404


def test_readers_who_are_not_staff_cannot_see_drafts_even_logged_in(client, hidden_articles):
    client.force_login(make_user())
    assert client.get(hidden_articles[0].get_absolute_url()).status_code == 404


def test_an_editor_previews_a_draft_on_the_real_page_with_a_notice(client, hidden_articles):
    client.force_login(make_user(group="Editors"))
    response = client.get(hidden_articles[0].get_absolute_url())
    assert response.status_code == 200
    assert "This article is a draft: readers cannot see it." in response.content.decode()
    assert '<meta name="robots" content="noindex">' in response.content.decode()


def test_a_scheduled_preview_says_when_it_will_appear(client, hidden_articles):
    client.force_login(make_user(group="Editors"))
    response = client.get(hidden_articles[1].get_absolute_url())
    assert "This article is scheduled for" in response.content.decode()


def test_an_author_previews_their_own_draft_but_not_a_colleagues(client):
    author = make_user(group="Authors")
    own, colleagues = make_draft(author=author), make_draft()
    client.force_login(author)
    assert client.get(own.get_absolute_url()).status_code == 200
    assert client.get(colleagues.get_absolute_url()).status_code == 404


def test_a_moderator_cannot_preview_drafts(client, hidden_articles):
    client.force_login(make_user(group="Moderators"))
    assert client.get(hidden_articles[0].get_absolute_url()).status_code == 404


def test_previous_and_next_links_skip_unpublished_articles(client, hidden_articles):
    _, _, published = hidden_articles
    response = client.get(published.get_absolute_url())
    assert response.context["previous_article"] is None
    assert response.context["next_article"] is None


def test_the_home_page_counts_only_published_articles_in_its_pages(client):
    for _ in range(3):
        make_draft()
    make_article()
    response = client.get(reverse("articles:home"))
    assert response.context["paginator"].count == 1
