"""Comments posted to several app servers at the same instant: the duplicate check and the
site-wide ceiling hold across them (PostgreSQL; SQLite's IMMEDIATE transactions already let
one writer at a time check and store)."""

import threading

import pytest
from django.db import connection, connections, transaction

from comments import moderation, screening
from comments.models import Comment, PostInFlight
from comments.screening import Refused
from tests.factories import make_article

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def slow_screening(monkeypatch):
    """Each post takes its time between the checks and the insert, as a busy server does."""
    screen = screening.screen

    def slow(*args, **kwargs):
        threading.Event().wait(0.5)
        return screen(*args, **kwargs)

    monkeypatch.setattr(screening, "screen", slow)


def post_at_once(article, comments, same_address=False):
    """Submit each of `comments` from its own thread (its own connection) at one instant,
    each from an address of its own, or all from one."""
    start, outcomes = threading.Barrier(len(comments)), []

    def post(comment, address):
        try:
            start.wait()
            moderation.submit(comment, article=article, form_age=60, ip_address=address)
            outcomes.append("stored")
        except Refused as refusal:
            outcomes.append(refusal.status)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=post, args=(comment, f"10.0.0.{1 if same_address else number}"))
        for number, comment in enumerate(comments, start=1)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (CI runs this with DATABASE_URL set)")


def test_the_same_comment_sent_to_two_servers_at_once_is_stored_once(
    slow_screening, reference_data
):
    needs_postgresql()
    article = make_article()
    same = [
        Comment(name="Ana", email="ana@example.com", body="Is there a trial near Leeds?")
        for _ in range(2)
    ]
    outcomes = post_at_once(article, same)
    assert outcomes.count("stored") == 1
    assert Comment.objects.filter(body="Is there a trial near Leeds?").count() == 1


def test_two_comments_sent_from_one_address_at_once_are_not_both_let_through(
    slow_screening, settings, reference_data
):
    needs_postgresql()
    settings.COMMENTS_FLOOD_SECONDS = 15
    article = make_article()
    comments = [
        Comment(name=f"Reader {n}", email=f"reader{n}@example.com", body=f"Question {n}")
        for n in range(2)
    ]
    outcomes = post_at_once(article, comments, same_address=True)
    assert outcomes.count("stored") == 1  # the other is told to wait between comments
    assert Comment.objects.count() == 1


def test_the_ceiling_holds_however_many_servers_take_posts_at_once(
    slow_screening, settings, reference_data
):
    needs_postgresql()
    settings.COMMENTS_MAX_PER_MINUTE = 2
    article = make_article()
    comments = [
        Comment(name=f"Reader {n}", email=f"reader{n}@example.com", body=f"Question {n}")
        for n in range(4)
    ]
    outcomes = post_at_once(article, comments)
    assert outcomes.count("stored") == 2
    assert Comment.objects.count() == 2


# The locks this test database's sessions wait for.
WAITING = (
    "SELECT COUNT(*) FROM pg_locks WHERE NOT granted AND database = "
    "(SELECT oid FROM pg_database WHERE datname = current_database())"
)


def test_posts_count_one_after_another_when_they_take_their_places_under_the_ceiling(
    settings, reference_data
):
    needs_postgresql()
    settings.COMMENTS_MAX_PER_MINUTE = 2
    article = make_article()
    comments = [
        Comment(name=f"Reader {n}", email=f"reader{n}@example.com", body=f"Question {n}")
        for n in range(4)
    ]
    outcomes = []
    # Places can be counted but not taken until this transaction ends: every post is
    # counting, or waiting to, at once.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {PostInFlight._meta.db_table} IN SHARE MODE")
        posting = threading.Thread(target=lambda: outcomes.extend(post_at_once(article, comments)))
        posting.start()
        for _ in range(100):
            cursor.execute(WAITING)
            if cursor.fetchone()[0] == len(comments):
                break
            threading.Event().wait(0.1)
    posting.join()
    assert outcomes.count("stored") == 2
    assert Comment.objects.count() == 2


def test_a_post_from_one_reader_does_not_wait_for_another_readers_post(reference_data, monkeypatch):
    needs_postgresql()
    article = make_article()
    first_checked, second_stored, seen = threading.Event(), threading.Event(), []
    screen = screening.screen

    def first_waits_for_the_second(comment, **kwargs):
        if comment.name == "First":  # between its checks and its insert
            first_checked.set()
            seen.append(second_stored.wait(10))
        return screen(comment, **kwargs)

    monkeypatch.setattr(screening, "screen", first_waits_for_the_second)

    def post(name, address):
        try:
            comment = Comment(name=name, email=f"{name.lower()}@example.com", body="A question")
            moderation.submit(comment, article=article, form_age=60, ip_address=address)
        finally:
            connections.close_all()

    first = threading.Thread(target=post, args=("First", "10.0.0.1"))
    first.start()
    assert first_checked.wait(10)
    post("Second", "10.0.0.2")  # from this thread, while the first is mid-post
    second_stored.set()
    first.join()
    assert seen == [True], "the second reader's post waited for the first's"
    assert Comment.objects.filter(body="A question").count() == 2
