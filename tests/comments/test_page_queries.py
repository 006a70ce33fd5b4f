import pytest

from comments import moderation
from comments.models import Comment
from tests.factories import form_data, make_article, make_comment, make_user, post_url
from tests.visits import get_counting_queries

pytestmark = pytest.mark.django_db


def add_conversation(article, count):
    staff = make_user(group="Moderators")
    roots = [make_comment(article, body=f"Comment {n}") for n in range(count // 2)]
    for n, root in enumerate(roots):
        reply = make_comment(article, parent=root, body=f"Reply {n}")
        if n % 10 == 0:
            moderation.reply(reply, by=staff, body="Staff answer")
    moderation.refresh_counts([article.pk])


def test_the_article_page_runs_as_many_queries_with_200_comments_as_with_2(
    client, django_assert_max_num_queries
):
    small, large = make_article(), make_article()
    add_conversation(small, 2)
    add_conversation(large, 200)
    assert Comment.objects.filter(article=large).count() >= 200
    page, few = get_counting_queries(client, small.get_absolute_url())
    assert page.status_code == 200
    with django_assert_max_num_queries(few):
        client.get(large.get_absolute_url())


def test_a_writer_with_pending_comments_adds_no_queries_per_comment(
    client, django_assert_max_num_queries
):
    article = make_article()
    add_conversation(article, 20)
    client.post(post_url(article), form_data(article, body="Mine, waiting"))
    page, few = get_counting_queries(client, article.get_absolute_url())
    assert page.status_code == 200
    add_conversation(article, 200)
    with django_assert_max_num_queries(few):
        client.get(article.get_absolute_url())


def test_the_subscribe_form_of_an_article_page_reads_the_lists_once(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import make_article

    article = make_article()
    with CaptureQueriesContext(connection) as queries:
        page = client.get(article.get_absolute_url())
    assert page.content.decode().count('class="subscribe-form"') == 1
    lists = [q for q in queries.captured_queries if "subscriptions_mailinglist" in q["sql"]]
    assert len(lists) == 1
