"""An article may have no picture: lists show its text alone, and editors are warned."""

import re
from html import unescape

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from articles.models import Tag
from tests.articles.test_admin_roles import article_form
from tests.factories import make_article, make_draft, make_image, make_user

pytestmark = pytest.mark.django_db
WARNING = "has no featured image"
NO_PICTURE_SENTENCE = (
    "has no featured image: lists show it as text alone, and link previews have no picture. "
    "Choose one under “Picture” if you can."
)


def card_of(html, title):
    """The card in a list that shows the article called `title`."""
    end = html.index(title)
    start = html.rindex('<article class="card-article', 0, end)
    return html[start : html.index("</article>", end)]


@pytest.fixture
def without_picture():
    article = make_article(title="Words alone", summary="No picture for this one.")
    article.tags.add(Tag.objects.create(name="SOD1", slug="sod1"))
    return article


@pytest.mark.parametrize(
    "url",
    ["/", "/category/research/", "/tag/sod1/", "/search/?q=words"],
    ids=["home", "category", "tag", "search"],
)
def test_an_article_without_a_picture_is_a_text_card_with_no_empty_picture_block(
    client, without_picture, url
):
    make_article(title="With a picture", image=make_image())
    html = client.get(url).content.decode()
    card = card_of(html, "Words alone")
    assert "card-article--text-only" in card
    assert "card-article__image" not in card and "<img" not in card
    assert "No picture for this one." in card


def test_an_article_with_a_picture_keeps_its_picture_in_the_list(client):
    make_article(title="With a picture", image=make_image())
    card = card_of(client.get("/").content.decode(), "With a picture")
    assert "card-article--text-only" not in card
    assert "card-article__image" in card


def test_an_article_page_without_a_picture_has_no_figure_and_no_preview_image(client):
    page = client.get(make_article(title="Words alone").get_absolute_url())
    assertContains(page, "Words alone")
    html = page.content.decode()
    assert "article__figure" not in html and "og:image" not in html


def messages_of(response):
    """The messages the admin page shows after the redirect, as (level, text)."""
    html = response.content.decode()
    shown = html[
        html.index('<ul class="messagelist">') : html.index("</ul>", html.index("messagelist"))
    ]
    return [
        (level, unescape(text))
        for level, text in re.findall(r'<li class="(\w+)">(.*?)</li>', shown, re.S)
    ]


def test_saving_an_article_without_a_featured_image_warns_the_editor_and_saves_it(client):
    editor = make_user(group="Editors")
    client.force_login(editor)
    form = article_form(author=editor.pk)
    response = client.post(reverse("admin:articles_article_add"), form, follow=True)
    assert ("warning", "“New findings” " + NO_PICTURE_SENTENCE) in messages_of(response)
    assert client.get("/articles/new-findings/").status_code == 200  # saved and published


def test_saving_an_article_with_a_featured_image_gives_no_warning(client):
    editor = make_user(group="Editors")
    client.force_login(editor)
    form = article_form(author=editor.pk, image=make_image().pk)
    response = client.post(reverse("admin:articles_article_add"), form, follow=True)
    assert not any(WARNING in text for _, text in messages_of(response))


def test_publishing_drafts_without_a_picture_warns_about_each_of_them(client):
    client.force_login(make_user(group="Editors"))
    bare, pictured = (
        make_draft(title="Bare draft"),
        make_draft(title="Pictured", image=make_image()),
    )
    response = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_now", "_selected_action": [bare.pk, pictured.pk]},
        follow=True,
    )
    warnings = [text for level, text in messages_of(response) if level == "warning"]
    assert warnings == ["“Bare draft” " + NO_PICTURE_SENTENCE]
    assert ("success", "2 article(s) published.") in messages_of(response)
