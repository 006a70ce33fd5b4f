"""Cached pages are fast and never stale: every change a reader could see invalidates them."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles import publishing
from articles.models import Article, Category
from comments import moderation
from comments.models import Comment
from tests.factories import (
    form_data,
    make_article,
    make_comment,
    make_draft,
    make_scheduled,
    make_user,
    post_url,
)
from tests.visits import (
    get_counting_queries,
    rendered_fresh,
    served_from_cache,
    stored_for_everyone,
    without_tokens,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return make_article(title="Cached story", body="<p>Original words.</p>")


@pytest.fixture
def moderator():
    # Made before any page is cached: saving a user marks cached pages stale by itself (their
    # name is on bylines), which would hide a moderation step that forgot to.
    return make_user(group="Moderators")


@pytest.mark.parametrize("url", ["/", "/category/research/", "/feed/rss/", "/sitemap.xml"])
def test_a_second_visit_is_served_from_the_cache_with_one_query(client, article, url):
    first, _ = get_counting_queries(client, url)
    second, count = get_counting_queries(Client(), url)
    assert stored_for_everyone(first) and served_from_cache(second)
    assert without_tokens(second.content) == without_tokens(first.content)
    assert count == 1  # the public version, nothing else


def test_an_article_page_from_the_cache_needs_one_query(article):
    Client().get(article.get_absolute_url())
    response, count = get_counting_queries(Client(), article.get_absolute_url())
    assert served_from_cache(response)
    assertContains(response, "Original words.")
    assert count == 1


def test_editing_an_article_shows_the_new_text_at_once(article):
    Client().get(article.get_absolute_url())
    article.body = "<p>Corrected words.</p>"
    publishing.save(article)
    assertContains(Client().get(article.get_absolute_url()), "Corrected words.")


def test_publishing_an_article_puts_it_on_the_cached_home_page(article):
    Client().get("/")
    make_article(title="Fresh news")
    assertContains(Client().get("/"), "Fresh news")


def test_unpublishing_an_article_removes_its_cached_page(article):
    assert Client().get(article.get_absolute_url()).status_code == 200
    article.status = Article.Status.DRAFT
    publishing.save(article)
    assert Client().get(article.get_absolute_url()).status_code == 404
    assertNotContains(Client().get("/"), "Cached story")


def test_a_scheduled_article_appears_on_cached_pages_when_its_time_comes(clock, article):
    scheduled = make_scheduled(title="Embargoed news")
    assertNotContains(Client().get("/"), "Embargoed news")
    clock.advance(seconds=(scheduled.publish_at - timezone.now()).total_seconds() + 1)
    assertContains(Client().get("/"), "Embargoed news")
    assertContains(Client().get("/feed/rss/"), "Embargoed news")


def test_approving_a_comment_shows_it_and_its_count(article, moderator):
    comment = make_comment(article, status=Comment.Status.PENDING, body="Now visible")
    Client().get(article.get_absolute_url())
    Client().get("/")
    moderation.approve(Comment.objects.filter(pk=comment.pk), by=moderator)
    assertContains(Client().get(article.get_absolute_url()), "Now visible")
    assertContains(Client().get("/"), "1 comment<")


def test_rejecting_a_comment_removes_it_from_the_cached_page(article, moderator):
    comment = make_comment(article, body="Soon gone")
    moderation.refresh_counts([article.pk])
    assertContains(Client().get(article.get_absolute_url()), "Soon gone")
    moderation.reject(Comment.objects.filter(pk=comment.pk), by=moderator)
    assertNotContains(Client().get(article.get_absolute_url()), "Soon gone")


def test_a_staff_reply_appears_on_the_cached_page(article, moderator):
    question = make_comment(article, body="A question")
    Client().get(article.get_absolute_url())
    moderation.reply(question, by=moderator, body="The staff answer")
    assertContains(Client().get(article.get_absolute_url()), "The staff answer")


def test_renaming_a_category_changes_every_cached_page(article):
    Client().get("/")
    Category.objects.filter(slug="research").update(name="Research")  # no signal: no change
    category = Category.objects.get(slug="research")
    category.name = "Science"
    category.save()
    assertContains(Client().get("/"), ">Science</a>")


def test_no_cached_page_ever_holds_a_pending_comment(client, article):
    client.post(post_url(article), form_data(article, body="Pending secret"))
    assertContains(client.get(article.get_absolute_url()), "Pending secret")  # the writer
    for _ in range(2):  # fill the cache, then read it
        assertNotContains(Client().get(article.get_absolute_url()), "Pending secret")
    assertNotContains(Client().get("/"), "Pending secret")


def test_the_writer_sees_their_pending_comment_while_others_get_the_cached_page(article):
    Client().get(article.get_absolute_url())  # cached for everyone
    writer = Client()
    writer.post(post_url(article), form_data(article, body="Mine alone"))
    assertContains(writer.get(article.get_absolute_url()), "Mine alone")
    assertNotContains(Client().get(article.get_absolute_url()), "Mine alone")


def test_on_a_later_visit_the_writer_still_sees_their_comment_and_a_stranger_does_not(article):
    writer = Client()
    # Following the redirect shows the "awaiting moderation" notice, once.
    writer.post(
        post_url(article), form_data(article, name="Marisol Q", body="Mine alone"), follow=True
    )
    later = writer.get(article.get_absolute_url())  # no notice now: only the session says
    assertContains(later, "Mine alone")
    assert not stored_for_everyone(later)
    stranger = Client().get(article.get_absolute_url())
    assertNotContains(stranger, "Mine alone")
    assertNotContains(stranger, "Marisol Q")


def test_a_page_rendered_for_everyone_holds_nothing_of_the_visitors_own(article, monkeypatch):
    # As for a cookie the page cache was not told about.
    from pagecache import serving

    writer = Client()
    writer.post(post_url(article), form_data(article, name="Marisol Q", body="Mine alone"),
                follow=True)  # fmt: skip
    monkeypatch.setattr(serving, "_personal_cookies", set())
    assert stored_for_everyone(writer.get(article.get_absolute_url()))
    stranger = Client().get(article.get_absolute_url())
    assertNotContains(stranger, "Mine alone")
    assertNotContains(stranger, "Marisol Q")
    assertNotContains(stranger, "marisol@example.com")


def test_a_cached_pages_comment_form_works_for_every_visitor_with_no_token_of_their_own(
    article,
):
    Client().get(article.get_absolute_url())
    for number in range(2):
        reader = Client(enforce_csrf_checks=True)
        page = reader.get(article.get_absolute_url())
        assert "csrfmiddlewaretoken" not in page.content.decode() and not page.cookies
        data = form_data(article, email=f"reader{number}@example.com", body=f"Hello {number}")
        response = reader.post(post_url(article), data, REMOTE_ADDR=f"198.51.100.{number}",
                               HTTP_ORIGIN="http://testserver")  # fmt: skip
        assert response.status_code == 302
    assert Comment.objects.count() == 2


def test_an_unchanged_page_answers_304_to_a_conditional_request(article):
    client = Client()
    first = client.get("/feed/rss/")
    assert first["ETag"] and first["Last-Modified"]
    again = client.get("/feed/rss/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    make_article(title="Something new")
    changed = client.get("/feed/rss/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200


def test_a_page_with_a_form_is_never_answered_with_304(article):
    # A kept copy would hold an old form timestamp and another visit's CSRF token.
    client = Client()
    first = client.get(article.get_absolute_url())
    again = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200


def test_each_visitor_of_a_cached_page_gets_a_form_timestamp_signed_for_them(article):
    from django.core import signing

    from comments.forms import TIMESTAMP_SALT

    stamps = []
    for _ in range(2):
        page = Client().get(article.get_absolute_url()).content.decode()
        stamp = page.split('name="timestamp" value="')[1].split('"')[0]
        assert "placeholder" not in stamp
        stamps.append(signing.loads(stamp, salt=TIMESTAMP_SALT))
    assert all(article_id == article.pk for article_id, _ in stamps)


def test_the_too_fast_rule_holds_a_robot_that_posts_straight_from_a_cached_page(article):
    Client().get(article.get_absolute_url())  # somebody filled the cache a while ago
    robot = Client()
    page = robot.get(article.get_absolute_url()).content.decode()
    stamp = page.split('name="timestamp" value="')[1].split('"')[0]
    robot.post(post_url(article), form_data(article, timestamp=stamp))
    assert any("too fast" in reason for reason in Comment.objects.get().held_reasons)


def test_staff_who_are_logged_in_get_fresh_pages(client, article):
    # Logged in before the page is cached, which creating a user would mark stale.
    client.force_login(make_user(group="Editors"))
    Client().get("/")
    response = client.get("/")
    assert rendered_fresh(response) and not stored_for_everyone(response)


def with_notice(client, text):
    """Give `client` a flash message waiting in its cookie, as a redirect after a form leaves."""
    from django.contrib import messages
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpRequest, HttpResponse

    storage, response = CookieStorage(HttpRequest()), HttpResponse()
    storage.add(messages.SUCCESS, text)
    storage.update(response)
    client.cookies[storage.cookie_name] = response.cookies[storage.cookie_name].value
    return client


def test_a_visitor_with_a_notice_waiting_sees_it_even_on_a_cached_page(article):
    Client().get("/")  # cached for everyone
    page = with_notice(Client(), "Your subscription is confirmed").get("/")
    assertContains(page, "Your subscription is confirmed")


def test_a_page_showing_one_visitors_notice_is_never_stored_for_others(article):
    page = with_notice(Client(), "Your subscription is confirmed").get("/")
    assertContains(page, "Your subscription is confirmed")
    assert not stored_for_everyone(page)
    assertNotContains(Client().get("/"), "Your subscription is confirmed")


@pytest.mark.parametrize("make_hidden", [make_draft, make_scheduled], ids=["draft", "scheduled"])
def test_an_editors_preview_never_reaches_the_public_through_the_cache(client, make_hidden):
    hidden = make_hidden(title="Embargoed findings")
    client.force_login(make_user(group="Editors"))
    preview = client.get(hidden.get_absolute_url())
    assertContains(preview, "Embargoed findings")
    assert not stored_for_everyone(preview)
    for _ in range(2):  # were it stored, the middleware would answer the second from it
        assert Client().get(hidden.get_absolute_url()).status_code == 404


def test_unknown_query_parameters_bypass_the_cache(article):
    Client().get("/")
    response = Client().get("/?view=compact")
    assert rendered_fresh(response) and not stored_for_everyone(response)


def test_pages_stay_fresh_when_the_cache_is_off(settings, article):
    settings.PAGE_CACHE = False
    Client().get("/")
    assert not served_from_cache(Client().get("/"))


def test_renaming_an_author_changes_their_byline_on_cached_pages(article):
    Client().get(article.get_absolute_url())
    author = article.author
    author.first_name, author.last_name = "Amira", "Haddad-Smith"
    author.save()
    assertContains(Client().get(article.get_absolute_url()), "By Amira Haddad-Smith")


def test_a_staff_login_leaves_cached_pages_in_place(client, article):
    from pagecache.models import PublicVersion

    Client().get(article.get_absolute_url())
    before = PublicVersion.objects.get().version
    editor = make_user(group="Editors", username="daniel")
    after_creating = PublicVersion.objects.get().version
    client.post("/admin/login/", {"username": "daniel", "password": "a-long-test-password"})
    assert "_auth_user_id" in client.session and editor.pk
    assert PublicVersion.objects.get().version == after_creating >= before


def test_replacing_a_body_image_renders_the_articles_showing_it_again():
    from tests.factories import image_upload, make_image

    image = make_image(alt_text="Old words")
    article = make_article(
        body=f'<figure><img src="{image.url}" alt="" data-file="{image.pk}"></figure><p>Text</p>'
    )
    Client().get(article.get_absolute_url())
    image.file = image_upload(size=(900, 500))
    image.alt_text = "New words"
    publishing.save_image(image)
    page = Client().get(article.get_absolute_url()).content.decode()
    assert 'alt="New words"' in page and 'width="900" height="500"' in page
    for _width, name in image.renditions["jpeg"]:
        assert name in page


def test_tagging_an_article_shows_on_its_cached_tag_page(article):
    from articles.models import Tag

    tag = Tag.objects.create(name="SOD1", slug="sod1")
    assertNotContains(Client().get("/tag/sod1/"), "Cached story")
    article.tags.add(tag)
    assertContains(Client().get("/tag/sod1/"), "Cached story")


@pytest.mark.parametrize("how", ["its own page", "the bulk action"])
def test_deleting_a_comment_in_the_admin_removes_it_and_its_count(client, article, how):
    client.force_login(make_user(group="Editors"))
    comment = make_comment(article, body="To be deleted")
    moderation.refresh_counts([article.pk])
    assertContains(Client().get(article.get_absolute_url()), "To be deleted")
    assertContains(Client().get("/"), "1 comment<")
    if how == "its own page":
        client.post(f"/admin/comments/comment/{comment.pk}/delete/", {"post": "yes"})
    else:
        client.post(
            "/admin/comments/comment/?status=all",
            {"action": "delete_selected", "_selected_action": [comment.pk], "post": "yes"},
        )
    assert not Comment.objects.exists()
    page = Client().get(article.get_absolute_url())
    assertNotContains(page, "To be deleted")
    assertNotContains(Client().get("/"), "1 comment<")


def test_versions_only_grow_so_a_restored_old_version_never_revives_cached_pages(
    article, monkeypatch
):
    from pagecache.models import PublicVersion
    from pagecache.versions import bump

    old = PublicVersion.objects.get().version
    bump()
    used = PublicVersion.objects.get().version  # pages may be cached under this one
    PublicVersion.objects.update(version=old)  # as a restore of an old database would
    later = timezone.now() + timedelta(minutes=5)  # a restore takes its time
    monkeypatch.setattr(timezone, "now", lambda: later)
    bump()
    assert PublicVersion.objects.get().version > used


@pytest.mark.parametrize("prefix", ["pc", "pc" + "0" * 24, "pc" + "f" * 24])
def test_text_in_a_comment_cannot_pose_as_a_placeholder(article, prefix):
    # The markers' own shape, with a guessed prefix: the real one comes from the secret key.
    tricks = [f"{prefix}.csrf..", f"{prefix}.comment_timestamp.{article.pk}."]
    make_comment(article, body=" ".join(tricks))
    moderation.refresh_counts([article.pk])
    Client().get(article.get_absolute_url())
    page = Client().get(article.get_absolute_url())
    assert served_from_cache(page)
    for trick in tricks:
        assertContains(page, trick)  # shown as typed, not filled in


def test_the_markers_prefix_comes_from_the_secret_key(settings):
    from django.utils.crypto import salted_hmac

    from pagecache.placeholders import PREFIX

    def prefix(secret):
        return "pc" + salted_hmac("pagecache", "placeholder", secret=secret).hexdigest()[:24]

    assert PREFIX == prefix(settings.SECRET_KEY) != prefix("another site's key")


def test_tracking_parameters_on_shared_links_are_served_from_the_cache(article):
    Client().get(article.get_absolute_url())
    for query in ("?utm_source=newsletter&utm_medium=email", "?fbclid=abc123"):
        assert served_from_cache(Client().get(article.get_absolute_url() + query))


def test_odd_page_numbers_do_not_fill_the_cache(article):
    for _ in range(12):
        make_article()
    Client().get("/?page=2")
    response = Client().get("/?page=02")
    # Rendered, not stored: ?page=02 would be a second copy of page 2.
    assert rendered_fresh(response) and not stored_for_everyone(response)
    assert not served_from_cache(Client().get("/?page=02"))


def test_cached_pages_carry_the_security_headers(article):
    Client().get(article.get_absolute_url())
    response = Client().get(article.get_absolute_url())
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.fixture
def editor(client):
    # Logged in before any page is cached: making a user marks cached pages stale by itself.
    client.force_login(make_user(group="Editors"))
    return client


def test_publishing_drafts_with_the_bulk_action_puts_them_on_cached_pages(editor):
    draft = make_draft(title="Just published")
    assertNotContains(Client().get("/"), "Just published")
    editor.post(
        "/admin/articles/article/", {"action": "publish_now", "_selected_action": [draft.pk]}
    )
    assertContains(Client().get("/"), "Just published")
    assert Client().get(draft.get_absolute_url()).status_code == 200


def test_returning_articles_to_draft_with_the_bulk_action_takes_them_off_cached_pages(
    editor, article
):
    assert Client().get(article.get_absolute_url()).status_code == 200
    assertContains(Client().get("/"), "Cached story")
    editor.post(
        "/admin/articles/article/", {"action": "return_to_draft", "_selected_action": [article.pk]}
    )
    assert Client().get(article.get_absolute_url()).status_code == 404
    assertNotContains(Client().get("/"), "Cached story")


def test_deleting_an_article_in_the_admin_takes_it_off_cached_pages(editor, article):
    assertContains(Client().get("/"), "Cached story")
    editor.post(f"/admin/articles/article/{article.pk}/delete/", {"post": "yes"})
    assert not Article.objects.filter(pk=article.pk).exists()
    assertNotContains(Client().get("/"), "Cached story")
