"""Every staff group against every admin page and action: who may, and who may not.

Authors write; Editors publish and moderate; Moderators moderate and never touch articles;
people who are not staff, and anonymous visitors, are sent to the login page.
"""

import pytest
from django.urls import reverse

from articles.models import Article, Category, Image, Tag
from comments.models import BlockedWord, Comment, SavedReply
from outbox.messages import Message
from outbox.models import Email
from outbox.queue import send
from tests.factories import make_article, make_comment, make_draft, make_image, make_user

pytestmark = pytest.mark.django_db
OK, NO, LOGIN, GONE = 200, 403, "login", 302  # GONE: the admin hides what is not yours
GROUPS = ["Authors", "Editors", "Moderators", "reader", "anonymous"]


@pytest.fixture
def world():
    author = make_user(group="Authors")
    return {
        "author": author,
        "own_draft": make_draft(author=author),
        "other_draft": make_draft(),
        "image": make_image(),
        "category": Category.objects.get(slug="research"),
        "tag": Tag.objects.create(name="SOD1", slug="sod1"),
        "comment": make_comment(make_article(), status=Comment.Status.PENDING),
        "saved": SavedReply.objects.create(title="Ask your doctor", body="Please ask."),
        "word": BlockedWord.objects.create(phrase="casino"),
        "email": send([Message(key="n", kind="note", to="r@example.com", subject="Hi", text=".")])[
            0
        ],
    }


def url(name, *args):
    return reverse(f"admin:{name}", args=args)


# page: (url builder, expected for Authors, Editors, Moderators)
PAGES = {
    "admin index": (lambda w: url("index"), OK, OK, OK),
    "article list": (lambda w: url("articles_article_changelist"), OK, OK, NO),
    "article add": (lambda w: url("articles_article_add"), OK, OK, NO),
    "own draft": (lambda w: url("articles_article_change", w["own_draft"].pk), OK, OK, NO),
    "other's draft": (lambda w: url("articles_article_change", w["other_draft"].pk), GONE, OK, NO),
    "article delete": (lambda w: url("articles_article_delete", w["other_draft"].pk), NO, OK, NO),
    "image list": (lambda w: url("articles_image_changelist"), OK, OK, NO),
    "image add": (lambda w: url("articles_image_add"), OK, OK, NO),
    "image change": (lambda w: url("articles_image_change", w["image"].pk), OK, OK, NO),
    "image delete": (lambda w: url("articles_image_delete", w["image"].pk), NO, OK, NO),
    "image picker": (lambda w: url("articles_image_picker"), OK, OK, NO),
    "category list": (lambda w: url("articles_category_changelist"), OK, OK, NO),
    "category add": (lambda w: url("articles_category_add"), NO, OK, NO),
    "tag add": (lambda w: url("articles_tag_add"), OK, OK, NO),
    "tag delete": (lambda w: url("articles_tag_delete", w["tag"].pk), NO, OK, NO),
    "comment queue": (lambda w: url("comments_comment_changelist"), NO, OK, OK),
    "comment page": (lambda w: url("comments_comment_change", w["comment"].pk), NO, OK, OK),
    "comment delete": (lambda w: url("comments_comment_delete", w["comment"].pk), NO, OK, NO),
    "personal data": (lambda w: url("comments_comment_personal_data"), NO, OK, OK),
    "saved replies": (lambda w: url("comments_savedreply_changelist"), NO, OK, OK),
    "saved reply add": (lambda w: url("comments_savedreply_add"), NO, OK, OK),
    "blocklist": (lambda w: url("comments_blockedword_changelist"), NO, OK, OK),
    "blocklist change": (lambda w: url("comments_blockedword_change", w["word"].pk), NO, OK, OK),
    "locked logins": (lambda w: url("axes_accessattempt_changelist"), NO, OK, NO),
    "outbox": (lambda w: url("outbox_email_changelist"), NO, OK, OK),
    "an email": (lambda w: url("outbox_email_change", w["email"].pk), NO, OK, OK),
    "email add": (lambda w: url("outbox_email_add"), NO, NO, NO),
    "background tasks": (
        lambda w: url("django_tasks_database_dbtaskresult_changelist"),
        NO,
        NO,
        NO,
    ),
    "users": (lambda w: url("auth_user_changelist"), NO, NO, NO),
    "groups": (lambda w: url("auth_group_changelist"), NO, NO, NO),
}


def log_in_as(client, group, world):
    if group == "anonymous":
        return
    if group == "reader":
        client.force_login(make_user())
    elif group == "Authors":
        client.force_login(world["author"])
    else:
        client.force_login(make_user(group=group))


@pytest.mark.parametrize("group", GROUPS)
@pytest.mark.parametrize("page", PAGES)
def test_each_group_reaches_exactly_the_admin_pages_it_should(client, world, group, page):
    build, *expected = PAGES[page]
    log_in_as(client, group, world)
    response = client.get(build(world))
    if group in ("reader", "anonymous"):
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
        return
    assert response.status_code == expected[GROUPS.index(group)]


def post_action(client, changelist, action, objects):
    return client.post(url(changelist), {"action": action, "_selected_action": objects})


@pytest.mark.parametrize(
    "group, published",
    [("Authors", False), ("Editors", True), ("Moderators", False), ("anonymous", False)],
)
def test_only_editors_publish_with_the_bulk_action(client, world, group, published):
    log_in_as(client, group, world)
    post_action(client, "articles_article_changelist", "publish_now", [world["own_draft"].pk])
    world["own_draft"].refresh_from_db()
    assert world["own_draft"].is_public is published


@pytest.mark.parametrize("group, allowed", [("Authors", False), ("Editors", True),
                                            ("Moderators", True), ("reader", False),
                                            ("anonymous", False)])  # fmt: skip
@pytest.mark.parametrize("action, status", [
    ("approve_selected", Comment.Status.APPROVED), ("reject_selected", Comment.Status.REJECTED),
    ("mark_spam_selected", Comment.Status.SPAM)])  # fmt: skip
def test_only_moderators_and_editors_moderate_in_bulk(
    client, world, group, allowed, action, status
):
    log_in_as(client, group, world)
    post_action(client, "comments_comment_changelist", action, [world["comment"].pk])
    world["comment"].refresh_from_db()
    assert (world["comment"].status == status) is allowed


@pytest.mark.parametrize(
    "group, allowed",
    [("Authors", False), ("Editors", True), ("Moderators", True), ("anonymous", False)],
)
def test_only_moderators_and_editors_use_the_moderation_buttons_and_reply(
    client, world, group, allowed
):
    log_in_as(client, group, world)
    comment = world["comment"]
    client.post(url("comments_comment_change", comment.pk), {"step": "approve"})
    client.post(url("comments_comment_change", comment.pk), {"reply": "Staff answer"})
    comment.refresh_from_db()
    assert (comment.status == Comment.Status.APPROVED) is allowed
    assert Comment.objects.filter(is_staff_reply=True).exists() is allowed


@pytest.mark.parametrize("group, allowed", [("Authors", False), ("Editors", True),
                                            ("Moderators", False)])  # fmt: skip
def test_only_editors_delete_comments(client, world, group, allowed):
    log_in_as(client, group, world)
    post_action(client, "comments_comment_changelist", "delete_selected", [world["comment"].pk])
    client.post(url("comments_comment_delete", world["comment"].pk), {"post": "yes"})
    assert Comment.objects.filter(pk=world["comment"].pk).exists() is not allowed


@pytest.mark.parametrize("group, allowed", [("Authors", False), ("Editors", True),
                                            ("Moderators", False)])  # fmt: skip
def test_only_editors_delete_articles_and_images(client, world, group, allowed):
    log_in_as(client, group, world)
    client.post(url("articles_article_delete", world["other_draft"].pk), {"post": "yes"})
    assert Article.objects.filter(pk=world["other_draft"].pk).exists() is not allowed
    client.post(url("articles_image_delete", world["image"].pk), {"post": "yes"})
    assert Image.objects.filter(pk=world["image"].pk).exists() is not allowed


def change_image(client, image, alt_text):
    return client.post(
        url("articles_image_change", image.pk),
        {"title": image.title, "alt_text": alt_text, "caption": "", "credit": ""},
    )


def test_an_author_changes_only_their_own_images_that_no_reader_sees(client):
    author = make_user(group="Authors")
    client.force_login(author)
    own_unused = make_image(uploaded_by=author)
    own_published = make_image(uploaded_by=author)
    make_article(image=own_published)  # published: readers see it
    someone_elses = make_image()
    change_image(client, own_unused, "Changed by the author")
    for image in (own_published, someone_elses):
        assert change_image(client, image, "Changed by the author").status_code == 403
    own_unused.refresh_from_db()
    own_published.refresh_from_db()
    someone_elses.refresh_from_db()
    assert own_unused.alt_text == "Changed by the author"
    assert own_published.alt_text != "Changed by the author"
    assert someone_elses.alt_text != "Changed by the author"


def test_an_image_in_a_published_body_counts_as_seen_by_readers(client):
    author = make_user(group="Authors")
    client.force_login(author)
    image = make_image(uploaded_by=author)
    make_article(body=f'<figure><img src="{image.url}" alt="" data-file="{image.pk}"></figure>')
    assert change_image(client, image, "Sneaky").status_code == 403


def test_an_editor_changes_any_image(client):
    client.force_login(make_user(group="Editors"))
    image = make_image()
    make_article(image=image)
    change_image(client, image, "Corrected by the editor")
    image.refresh_from_db()
    assert image.alt_text == "Corrected by the editor"


@pytest.mark.parametrize("group, allowed", [("Authors", False), ("Editors", True),
                                            ("Moderators", False)])  # fmt: skip
def test_only_editors_send_failed_emails_again(client, world, group, allowed):
    Email.objects.update(status=Email.Status.FAILED)
    log_in_as(client, group, world)
    post_action(client, "outbox_email_changelist", "retry_selected", [world["email"].pk])
    world["email"].refresh_from_db()
    assert (world["email"].status == Email.Status.QUEUED) is allowed
