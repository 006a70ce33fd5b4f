"""Long conversations come in pages of whole threads, and every comment's link finds its page."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.test import Client
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from comments import moderation, privacy
from comments.models import Comment
from comments.threads import conversation_page, page_number_of
from tests.factories import form_data, make_article, make_comment, post_url
from tests.visits import get_counting_queries, served_from_cache

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_a_page(settings):
    settings.COMMENTS_PER_PAGE = 2


@pytest.fixture
def article():
    return make_article(title="Tofersen results")


def conversation(article, count, *, start=None):
    """`count` top-level comments a minute apart, oldest first."""
    start = start or timezone.now() - timedelta(days=2)
    firsts = []
    for number in range(count):
        when = start + timedelta(minutes=number)
        first = make_comment(article, name=f"Reader {number}", body=f"Thread {number}",
                             created_at=when)  # fmt: skip
        firsts.append(first)
    moderation.refresh_counts([article.pk])
    return firsts


def page(client, article, number=None):
    query = f"?page={number}" if number else ""
    return client.get(f"{article.get_absolute_url()}{query}")


def test_each_page_holds_that_many_whole_threads_oldest_first(client, article, two_a_page):
    first, second, third = conversation(article, 3)
    # A late reply to the first thread stays with it, on the first page.
    make_comment(article, parent=first, body="A late reply", created_at=timezone.now())
    one, two = page(client, article), page(client, article, 2)
    assertContains(one, "Thread 0")
    assertContains(one, "Thread 1")
    assertContains(one, "A late reply")
    assertNotContains(one, "Thread 2")
    assertContains(two, "Thread 2")
    assertNotContains(two, "Thread 0")
    assertNotContains(two, "A late reply")
    assertContains(one, "Page 1 of 2")
    assertContains(one, f'href="{article.get_absolute_url()}?page=2#comments"')
    assertContains(two, f'href="{article.get_absolute_url()}#comments"')


def test_a_page_that_does_not_exist_is_not_found(client, article, two_a_page):
    conversation(article, 3)
    assert page(client, article, 3).status_code == 404
    assert client.get(f"{article.get_absolute_url()}?page=0").status_code == 404
    assert client.get(f"{article.get_absolute_url()}?page=two").status_code == 404
    assert page(client, article, 2).status_code == 200


def test_the_pages_of_a_conversation_are_cached_like_the_article(article, two_a_page):
    conversation(article, 3)
    page(Client(), article, 2)
    again = page(Client(), article, 2)
    assert served_from_cache(again)
    assertContains(again, "Thread 2")


def test_a_comment_link_leads_to_the_page_that_shows_it(client, article, two_a_page):
    firsts = conversation(article, 5)
    reply = make_comment(article, parent=firsts[3], body="Answer on page two")
    for comment, number in ((firsts[0], 1), (firsts[2], 2), (reply, 2), (firsts[4], 3)):
        link = client.get(comment.get_absolute_url())
        query = f"?page={number}" if number > 1 else ""
        assert link["Location"] == f"{article.get_absolute_url()}{query}#comment-{comment.pk}"
        assertContains(client.get(link["Location"]), f'id="comment-{comment.pk}"')


def test_a_comment_that_is_not_public_has_no_link_for_strangers(client, article):
    (first,) = conversation(article, 1)
    waiting = make_comment(article, status=Comment.Status.PENDING, body="Not yet")
    assert client.get(waiting.get_absolute_url())["Location"].endswith("#comments")
    assertNotContains(client.get(article.get_absolute_url()), "Not yet")
    assert client.get("/comments/999999/").status_code == 404


def test_the_writer_sees_a_waiting_reply_on_the_page_of_its_thread(client, article, two_a_page):
    firsts = conversation(article, 3)
    client.post(post_url(article), form_data(article, parent=firsts[0].pk, body="My reply"))
    assertContains(page(client, article), "My reply")
    assertNotContains(page(client, article, 2), "My reply")


def test_a_new_comment_lands_on_the_last_page_and_the_writer_is_taken_there(
    client, article, two_a_page
):
    conversation(article, 3)
    response = client.post(post_url(article), form_data(article, body="A new thread"))
    mine = Comment.objects.get(body="A new thread")
    found = client.get(response["Location"])
    assert found["Location"] == f"{article.get_absolute_url()}?page=2#comment-{mine.pk}"
    assertContains(page(client, article, 2), "A new thread")
    assertNotContains(page(client, article), "A new thread")
    assert page_number_of(mine) == 2


def test_a_reply_posted_on_a_later_page_takes_the_writer_back_to_it(client, article, two_a_page):
    firsts = conversation(article, 3)
    response = client.post(
        post_url(article), form_data(article, parent=firsts[2].pk, body="Reply on two")
    )
    mine = Comment.objects.get(body="Reply on two")
    found = client.get(response["Location"])
    assert found["Location"] == f"{article.get_absolute_url()}?page=2#comment-{mine.pk}"


def test_reply_links_on_a_later_page_keep_the_page(client, article, two_a_page):
    firsts = conversation(article, 3)
    two = page(client, article, 2)
    assertContains(two, f"?page=2&amp;reply_to={firsts[2].pk}#comment-form")
    answering = client.get(f"{article.get_absolute_url()}?page=2&reply_to={firsts[2].pk}")
    assert answering.context["comment_form"].initial["parent"] == firsts[2].pk


def test_the_page_costs_as_many_queries_with_2000_comments_as_with_2(
    client, django_assert_max_num_queries
):
    small, large = make_article(), make_article()
    conversation(small, 2)
    start = timezone.now() - timedelta(days=3)
    Comment.objects.bulk_create(
        Comment(
            article=large,
            name=f"R{n}",
            email=f"r{n}@example.com",
            body="Words",
            body_html="<p>Words</p>",
            status=Comment.Status.APPROVED,
            created_at=start + timedelta(seconds=n),
        )  # fmt: skip
        for n in range(1000)
    )
    firsts = list(Comment.objects.filter(article=large).order_by("pk"))
    Comment.objects.bulk_create(
        Comment(
            article=large,
            parent=first,
            thread=first,
            depth=1,
            name="Re",
            body="Reply",
            email="re@example.com",
            body_html="<p>Reply</p>",
            status=Comment.Status.APPROVED,
            created_at=first.created_at,
        )  # fmt: skip
        for first in firsts
    )
    moderation.refresh_counts([small.pk, large.pk])
    _, few = get_counting_queries(client, small.get_absolute_url())
    for number in (1, 10, 20):
        with django_assert_max_num_queries(few):
            response = page(client, large, number)
        assert response.content.count(b'class="comment__box"') == 100  # 50 threads, 50 replies
    assert page(client, large, 21).status_code == 404


def test_deleting_the_first_comment_of_a_thread_on_request_keeps_its_replies_paged_together(
    article, two_a_page
):
    first, *_ = conversation(article, 3)
    reply = make_comment(article, parent=first, body="Reply")
    deeper = make_comment(article, parent=reply, body="Deeper")
    privacy.delete(first.email)
    reply.refresh_from_db()
    deeper.refresh_from_db()
    assert (reply.parent_id, reply.thread_id, deeper.thread_id) == (None, None, reply.pk)
    shown = conversation_page(article, page_number_of(reply)).comments
    assert {reply, deeper} <= set(shown)


def test_the_migration_finds_each_comments_thread(article):
    first = make_comment(article)
    reply = make_comment(article, parent=first)
    deeper = make_comment(article, parent=reply)
    Comment.objects.update(thread=None)
    migration = importlib.import_module("comments.migrations.0006_comment_threads")
    migration.fill_threads(apps, None)
    threads = dict(Comment.objects.values_list("pk", "thread"))
    assert threads == {first.pk: None, reply.pk: first.pk, deeper.pk: first.pk}


def test_a_writers_own_comment_once_rejected_leads_to_the_conversation_not_to_itself(
    client, article, two_a_page
):
    conversation(article, 3)
    client.post(post_url(article), form_data(article, body="Mine"))
    mine = Comment.objects.get(body="Mine")
    assert "#comment-" in client.get(mine.get_absolute_url())["Location"]
    moderation.reject(Comment.objects.filter(pk=mine.pk), by=None)
    assert client.get(mine.get_absolute_url())["Location"].endswith("#comments")


def test_a_waiting_reply_whose_conversation_lost_its_public_comments_shows_on_the_last_page(
    client, article, two_a_page
):
    firsts = conversation(article, 4)
    client.post(post_url(article), form_data(article, parent=firsts[0].pk, body="My reply"))
    moderation.reject(Comment.objects.filter(pk=firsts[0].pk), by=None)
    mine = Comment.objects.get(body="My reply")
    last = page_number_of(mine)
    assert last == 2
    assert client.get(mine.get_absolute_url())["Location"].startswith(
        f"{article.get_absolute_url()}?page={last}#"
    )
    assertContains(page(client, article, last), "My reply")
    assertNotContains(page(client, article, 1), "My reply")


def test_a_page_number_written_another_way_is_not_found(client, article, two_a_page):
    conversation(article, 3)
    for odd in ("01", "", "+2", "2.0", "²"):
        assert client.get(f"{article.get_absolute_url()}?page={odd}").status_code == 404, odd


def test_a_reply_sent_back_with_an_error_comes_back_on_its_conversations_page(
    client, article, two_a_page
):
    firsts = conversation(article, 3)
    response = client.post(
        post_url(article), form_data(article, parent=firsts[2].pk, email="not-an-email")
    )
    assert response.status_code == 200
    assertContains(response, "Thread 2")
    assertNotContains(response, "Thread 0")
    assertContains(response, "Page 2 of 2")
