"""The staff groups in the admin: Authors draft, Editors publish, Moderators keep out."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article, Category
from tests.factories import NO_SOURCES, make_article, make_draft, make_user

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:articles_article_changelist")
ADD = reverse("admin:articles_article_add")


def article_form(**overrides):
    fields = {
        "title": "New findings",
        "slug": "new-findings",
        "summary": "A summary.",
        "body": "<p>The body.</p>",
        "category": Category.objects.get(slug="research").pk,
        "status": "published",
        "publish_at_0": "",
        "publish_at_1": "",
        "comments_open": "on",
        **NO_SOURCES,
    }
    fields.update(overrides)
    return fields


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def test_an_author_writes_a_draft_even_if_the_form_says_published(client):
    author = make_user(group="Authors")
    client.force_login(author)
    response = client.post(ADD, article_form())
    assert response.status_code == 302, response.content.decode()[:3000]
    article = Article.objects.get(slug="new-findings")
    assert article.status == Article.Status.DRAFT
    assert article.author == author


def test_the_add_form_starts_with_the_current_user_as_author(client):
    editor = make_user(group="Editors")
    client.force_login(editor)
    response = client.get(ADD)
    assert response.context["adminform"].form.initial["author"] == editor.pk


def test_an_author_sees_the_status_but_cannot_change_it(client):
    client.force_login(make_user(group="Authors"))
    response = client.get(ADD)
    form = response.context["adminform"].form
    assert "status" not in form.fields
    assertContains(response, "An editor reviews the article and publishes or schedules it.")


def test_an_author_sees_and_edits_only_their_own_articles(client):
    author = make_user(group="Authors")
    own, colleagues = make_draft(author=author, title="Mine"), make_draft(title="Theirs")
    client.force_login(author)
    listing = client.get(CHANGELIST)
    assertContains(listing, "Mine")
    assertNotContains(listing, "Theirs")
    assert client.get(change_url(own)).status_code == 200
    assert client.get(change_url(colleagues)).status_code == 302  # sent away: not theirs


def test_an_author_cannot_change_their_article_once_it_is_published(client):
    author = make_user(group="Authors")
    article = make_article(author=author, title="Published piece")
    client.force_login(author)
    client.post(change_url(article), article_form(title="Changed", slug=article.slug))
    article.refresh_from_db()
    assert article.title == "Published piece"


def test_an_author_cannot_publish_with_the_bulk_action(client):
    author = make_user(group="Authors")
    draft = make_draft(author=author)
    client.force_login(author)
    assertNotContains(client.get(CHANGELIST), "Publish selected articles now")
    client.post(CHANGELIST, {"action": "publish_now", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


def test_an_editor_publishes_and_schedules_any_article(client):
    client.force_login(make_user(group="Editors"))
    draft = make_draft(title="Someone's draft")
    response = client.post(
        change_url(draft),
        article_form(
            title="Someone's draft",
            slug=draft.slug,
            author=draft.author.pk,
            publish_at_0="2099-01-01",
            publish_at_1="09:00:00",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED
    assert draft.is_scheduled


def test_the_publish_action_publishes_drafts_at_once(client):
    client.force_login(make_user(group="Editors"))
    draft = make_draft()
    client.post(CHANGELIST, {"action": "publish_now", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.is_public


def test_the_article_list_shows_status_author_time_and_comments(client):
    client.force_login(make_user(group="Editors"))
    make_article(publish_at=None, status="draft", title="Draft piece")
    response = client.get(CHANGELIST)
    for column in ("Status", "Author", "Publish time", "Comments"):
        assertContains(response, column)
    assertContains(response, "Preview")


def test_a_moderator_cannot_open_the_articles_admin(client):
    client.force_login(make_user(group="Moderators"))
    article = make_article()
    assert client.get(CHANGELIST).status_code == 403
    assert client.get(change_url(article)).status_code == 403
    assert client.get(ADD).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(CHANGELIST)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_the_image_picker_lists_images_for_staff_who_write(client):
    from tests.factories import make_image

    make_image(title="Lab bench photo")
    client.force_login(make_user(group="Authors"))
    response = client.get(reverse("admin:articles_image_picker") + "?CKEditorFuncNum=1")
    assertContains(response, "Lab bench photo")
    assertContains(response, "Use this image")
    assertContains(response, "Upload a new image")
