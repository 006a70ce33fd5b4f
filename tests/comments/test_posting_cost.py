"""What posting a comment costs the database: a handful of queries, whatever is stored."""

from datetime import timedelta

import pytest
from django.db import connection
from django.http import Http404
from django.test import Client
from django.utils import timezone

from comments import rules, screening
from comments.models import BlockedWord, Comment, FlagCategory
from comments.views import article_to_post_on
from tests.factories import form_data, make_article, make_comment, make_user, post_url
from tests.visits import counting_queries

# As in production, outside a test's transaction. Statements that only begin or end a
# transaction (SQLite's BEGIN IMMEDIATE, which also lets one post at a time check and store,
# and COMMIT) are not counted.
pytestmark = pytest.mark.django_db(transaction=True)
TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")
# PostgreSQL's checks: the post's place given up, the writer's locks and the seven questions,
# in one statement (migration 0013).
CHECKS_FUNCTION = "SELECT * FROM alsblog_check_post("

MAX_QUERIES = 6


@pytest.fixture
def article(reference_data):
    make_user(group="Moderators")
    article = make_article(title="Tofersen results")
    for number in range(30):
        make_comment(article, email=f"reader{number}@example.com", body=f"Comment {number}",
                     created_at=timezone.now() - timedelta(days=1))  # fmt: skip
    return article


def statements_of_posting(article, **fields):
    reader = Client()
    reader.get(article.get_absolute_url())
    rules.flag_categories()  # the steady state: the screening lists are in the cache
    with counting_queries() as captured:
        response = reader.post(post_url(article), form_data(article, **fields))
    assert response.status_code == 302, response.content[-2000:]
    return [query["sql"] for query in captured.captured_queries]


def queries_of_posting(article, **fields):
    statements = statements_of_posting(article, **fields)
    work = [sql for sql in statements if not sql.upper().startswith(TRANSACTION_CONTROL)]
    # On PostgreSQL, the post's place under the site-wide ceiling, taken in a statement of
    # its own; it is given up with the locks of the transaction that stores the comment.
    places = [sql for sql in work if sql.startswith("SELECT alsblog_take_place(")]
    assert len(places) == (1 if connection.vendor == "postgresql" else 0), work
    return [sql for sql in work if sql not in places]


def test_an_accepted_comment_costs_at_most_six_queries(article):
    queries = queries_of_posting(article)
    assert len(queries) <= MAX_QUERIES, "\n".join(queries)
    assert Comment.objects.filter(body="How can my father get this treatment?").exists()


def test_a_new_comment_reads_its_article_checks_once_and_writes_two_rows(article):
    tables = [
        (sql.split()[0], next((w for w in sql.split() if w.startswith('"')), sql[:40]))
        for sql in queries_of_posting(article)
    ]
    assert [kind for kind, _ in tables] == ["SELECT", "SELECT", "INSERT", "INSERT"], tables
    assert tables[0][1].startswith('"articles_article"')
    assert tables[1][1].startswith(('"comments_comment"', CHECKS_FUNCTION)), tables
    assert tables[2][1] == '"comments_comment"'  # the comment, then its email to moderators


def test_a_reply_from_a_known_commenter_costs_no_more(article, settings):
    settings.COMMENTS_AUTO_APPROVE_KNOWN = False
    parent = Comment.objects.filter(article=article).first()
    queries = queries_of_posting(article, email="reader3@example.com", parent=parent.pk)
    assert len(queries) <= MAX_QUERIES, "\n".join(queries)


def test_flood_duplicate_and_known_checks_are_one_query(article):
    queries = queries_of_posting(article)
    checks = [
        sql
        for sql in queries
        if ("comments_comment" in sql and "EXISTS" in sql) or sql.startswith(CHECKS_FUNCTION)
    ]
    assert len(checks) == 1, queries
    assert not any(
        "comments_blockedword" in sql or "comments_flagcategory" in sql for sql in queries
    )
    assert not any("django_session" in sql for sql in queries), queries


def test_on_postgresql_the_writers_locks_are_taken_by_the_statement_that_checks(article):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's BEGIN IMMEDIATE lets one post at a time check and store")
    statements = statements_of_posting(article)
    assert not any("pg_advisory" in sql.lower() for sql in statements), statements
    assert sum(sql.startswith(CHECKS_FUNCTION) for sql in statements) == 1, statements


def test_the_checks_still_refuse_a_flood_and_a_duplicate_and_know_a_writer(article, settings):
    settings.COMMENTS_FLOOD_SECONDS = 0
    known = screening.refuse_floods_and_duplicates(
        Comment(article=article, email="reader1@example.com", body="New words")
    )
    assert known.approved
    with pytest.raises(screening.Refused, match="already posted"):
        screening.refuse_floods_and_duplicates(
            Comment(article=article, email="reader1@example.com", body="Comment 1")
        )
    settings.COMMENTS_FLOOD_SECONDS = 15
    make_comment(article, email="reader2@example.com", ip_address="10.0.0.9")
    with pytest.raises(screening.Refused, match="Please wait"):
        screening.refuse_floods_and_duplicates(
            Comment(article=article, email="reader2@example.com", body="Fresh")
        )
    with pytest.raises(screening.Refused, match="Please wait"):
        screening.refuse_floods_and_duplicates(
            Comment(article=article, email="new@example.com", body="Fresh", ip_address="10.0.0.9")
        )


def test_a_word_added_to_the_blocklist_in_the_admin_holds_the_very_next_comment(
    article, no_flood_wait, client
):
    queries_of_posting(article, body="Warming the cache first")
    client.force_login(make_user(group="Editors", is_superuser=True))
    client.post("/admin/comments/blockedword/add/", {"phrase": "Miracle"})
    assert BlockedWord.objects.get().phrase == "miracle"
    queries_of_posting(article, body="A miracle powder", email="other@example.com")
    held = Comment.objects.get(body="A miracle powder")
    assert "Contains the blocklisted word “miracle”" in held.held_reasons


def test_a_flag_category_changed_by_staff_applies_to_the_very_next_comment(
    article, no_flood_wait, moderation_lists
):
    queries_of_posting(article, body="Warming the cache first")
    category = FlagCategory.objects.get(is_urgent=True)
    category.phrases += "\nfeeling hopeless today"
    rules.save(category)
    queries_of_posting(article, body="I am feeling hopeless today", email="other@example.com")
    assert Comment.objects.get(body="I am feeling hopeless today").is_urgent


def test_words_deleted_from_the_blocklist_in_the_admin_hold_comments_no_more(
    article, no_flood_wait, client
):
    word = BlockedWord.objects.create(phrase="miracle")
    queries_of_posting(article, body="Warming the cache first")
    client.force_login(make_user(group="Editors", is_superuser=True))
    client.post(
        "/admin/comments/blockedword/",
        {"action": "delete_selected", "_selected_action": [word.pk], "post": "yes"},
    )
    assert not BlockedWord.objects.exists()
    queries_of_posting(article, body="A miracle of patience", email="other@example.com")
    held = Comment.objects.get(body="A miracle of patience")
    assert not any("blocklisted" in reason for reason in held.held_reasons)


def test_posting_reads_only_what_it_needs_of_the_article(article):
    first = queries_of_posting(article)[0]
    columns = first.split(" FROM ")[0].removeprefix("SELECT ").split(", ")
    table = '"articles_article".'
    assert columns == [f'{table}"id"', f'{table}"slug"', f'{table}"comments_open"'], first


@pytest.mark.parametrize("closed", [False, True], ids=["a form to correct", "comments closed"])
def test_a_page_sent_back_reads_its_article_once_more_not_field_by_field(article, closed):
    if closed:
        type(article).objects.filter(pk=article.pk).update(comments_open=False)
    reader = Client()
    reader.get(article.get_absolute_url())
    with counting_queries() as captured:
        response = reader.post(
            post_url(article), form_data(article, body="" if not closed else "Hi")
        )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tofersen results" in page
    if not closed:
        assert "Please write your comment." in page
    reads = [
        query["sql"]
        for query in captured.captured_queries
        if query["sql"].startswith('SELECT "articles_article"."id"')
    ]
    # The lean read, the whole one, and the two neighbours the page links.
    assert len(reads) <= 4, "\n".join(reads)


def test_the_article_read_for_posting_is_as_the_orm_reads_it(article):
    read = article_to_post_on(article.slug)
    assert (read.pk, read.slug) == (article.pk, article.slug)
    assert read.comments_open is True  # a boolean on SQLite too (its driver converts it)
    with pytest.raises(Http404):
        article_to_post_on("no-such-article")
