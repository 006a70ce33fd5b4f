"""Every payload of the corpus, through every field a reader fills and the article body."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from articles import publishing
from articles.models import Article, Category
from comments import moderation
from comments.models import Comment
from tests.factories import NO_SOURCES, form_data, make_article, make_user, post_url
from tests.security.html_checks import between, dangers, elements, text_of
from tests.security.payloads import PAYLOADS, visible

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_flood_wait")]


def shown_comment(article):
    """The HTML of the one approved comment on `article`'s page, as the public gets it."""
    page = Client().get(article.get_absolute_url()).content.decode()
    assert not dangers(page), dangers(page)
    return between(page, '<div class="comment__body">', "</div>"), page


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_hostile_comment_is_stored_as_typed_and_shown_escaped(payload):
    article = make_article()
    response = Client().post(post_url(article), form_data(article, body=payload))
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.body == payload.replace("\r\n", "\n").strip()
    moderation.approve(Comment.objects.all(), by=make_user(group="Moderators"))
    body, _ = shown_comment(article)
    assert {tag for tag, _ in elements(body)} <= {"p", "br", "a"}
    assert text_of(body) == visible(payload)  # readable as typed, nothing dropped


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_hostile_name_is_either_refused_with_a_message_or_shown_escaped(payload):
    article = make_article()
    response = Client().post(post_url(article), form_data(article, name=payload))
    if response.status_code == 200:  # refused: too long, or characters a name may not hold
        assert "is-invalid" in response.content.decode()
        assert not Comment.objects.exists()
        return
    moderation.approve(Comment.objects.all(), by=make_user(group="Moderators"))
    _, page = shown_comment(article)
    author = between(page, 'class="comment__author"', "</span>").split(">", 1)[1]
    assert text_of(author) == visible(payload)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_hostile_email_is_refused_and_echoed_back_harmless(payload):
    article = make_article()
    response = Client().post(post_url(article), form_data(article, email=payload[:254]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "is-invalid" in html
    assert not dangers(html), dangers(html)
    assert not Comment.objects.exists()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_hostile_search_is_shown_escaped(client, payload):
    make_article()
    response = client.get(reverse("articles:search"), {"q": payload})
    assert response.status_code == 200
    html = response.content.decode()
    assert not dangers(html), dangers(html)
    shown = between(html, 'id="search-q"', ">")
    assert escape(payload[:200].strip()) in shown or not payload.strip()


def test_the_whole_corpus_in_an_article_body_is_sanitized_by_the_admin(client):
    client.force_login(make_user(group="Editors"))
    body = "".join(f"<p>{payload}</p>" for payload in PAYLOADS)
    response = client.post(
        reverse("admin:articles_article_add"),
        {
            "title": "Hostile body", "slug": "hostile-body", "summary": "Summary",
            "body": body, "category": Category.objects.get(slug="research").pk,
            "status": "published", "publish_at_0": "", "publish_at_1": "",
            "comments_open": "on", "author": client.session["_auth_user_id"], **NO_SOURCES,
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get(slug="hostile-body")
    page = Client().get(article.get_absolute_url()).content.decode()
    assert not dangers(page), dangers(page)
    body = between(page, 'class="article__body prose">', "\n    </div>")
    allowed = {"p", "br", "h2", "h3", "h4", "strong", "em", "s", "a", "ul", "ol", "li",
               "blockquote", "hr", "figure", "figcaption", "img", "picture", "source"}  # fmt: skip
    assert {tag for tag, _ in elements(body)} <= allowed
    assert all(
        not name.startswith(("on", "style")) for _, attrs in elements(body) for name in attrs
    )
    # What the allowlist permits survives (alone: after an unclosed <select> in the corpus,
    # HTML parsing rules swallow the rest, as every browser would).
    article.body = "<div><p><b><i><u><s>deeply <em>nested</em></s></u></i></b></p></div>"
    publishing.save(article)
    assert "deeply <em>nested</em>" in article.body
