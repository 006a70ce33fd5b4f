"""Floods of comments leave readers untouched: a site-wide ceiling, and a share of threads."""

import io
import threading
import time
from contextlib import contextmanager
from urllib.parse import urlencode
from wsgiref.util import setup_testing_defaults

import pytest
from django.core import mail
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from pytest_django.asserts import assertContains

from comments import posting
from comments.models import Comment
from tests.factories import form_data, make_article, make_comment, make_user, post_url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_flood_wait")]


@pytest.fixture
def article():
    return make_article(title="Tofersen results")


@pytest.fixture
def ceiling_of_three(settings):
    settings.COMMENTS_MAX_PER_MINUTE = 3


def post_from(number, article, **fields):
    """A comment from a reader of its own: its own address and email, as a botnet sends."""
    data = form_data(article, email=f"reader{number}@example.com", body=f"Words {number}")
    data.update(fields)
    return Client().post(post_url(article), data, REMOTE_ADDR=f"198.51.100.{number}")


def test_past_the_ceiling_new_comments_are_paused_with_a_429_and_the_text_kept(
    article, ceiling_of_three
):
    for number in range(3):
        assert post_from(number, article).status_code == 302
    response = post_from(9, article, body="My careful question")
    assert response.status_code == 429
    assert response["Retry-After"] == "120"
    assertContains(response, "Please press “Post comment” again in a few minutes", status_code=429)
    assertContains(response, "My careful question</textarea>", status_code=429)
    assert Comment.objects.count() == 3


def test_a_comment_turned_away_leaves_no_trace_under_the_ceiling(article, ceiling_of_three):
    assert post_from(1, article).status_code == 302
    for _ in range(3):  # the same comment again: refused as already posted
        assertContains(post_from(1, article), "You have already posted this comment")
    assert post_from(2, article).status_code == 302
    assert post_from(3, article).status_code == 302
    assert post_from(4, article).status_code == 429
    assert Comment.objects.count() == 3


def test_readers_are_not_affected_by_the_ceiling(article, ceiling_of_three):
    for number in range(4):
        post_from(number, article)
    assert Client().get(article.get_absolute_url()).status_code == 200


def test_moderators_get_one_email_when_the_ceiling_trips(article, ceiling_of_three, deliver):
    moderator = make_user(group="Moderators", email="grace@example.org")
    for number in range(3):
        post_from(number, article)
    deliver()
    mail.outbox.clear()
    for number in range(3, 9):
        assert post_from(number, article).status_code == 429
    # One task to compose the alert, not one for each refused comment of the flood.
    tasks = DBTaskResult.objects.filter(args_kwargs__icontains="ceiling_reached")
    assert tasks.count() == 1
    deliver()
    paused = [m for m in mail.outbox if m.subject.startswith("New comments paused")]
    assert [m.to for m in paused] == [[moderator.email]]
    assert "More than 3 comments a minute are arriving" in paused[0].body


def through_the_server(article, number, environ_extra=None, **fields):
    """POST a comment through the WSGI application the server runs (alsblog/wsgi.py)."""
    from alsblog.wsgi import application

    asked = RequestFactory().get(article.get_absolute_url())
    token = get_token(asked)  # the form's token, and the cookie it goes with
    data = form_data(article, email=f"reader{number}@example.com", body=f"Words {number}")
    data.update(fields, csrfmiddlewaretoken=token)
    body = urlencode(data).encode()
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": post_url(article),
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_HOST": "testserver",
        "HTTP_COOKIE": f"csrftoken={asked.META['CSRF_COOKIE']}",
        "HTTP_REFERER": f"http://testserver{article.get_absolute_url()}",
        "REMOTE_ADDR": f"198.51.100.{number}",
        "wsgi.input": io.BytesIO(body),
        **(environ_extra or {}),
    }
    setup_testing_defaults(environ)
    answer = {}

    def start_response(status, headers, exc_info=None):
        names = [name.lower() for name, _ in headers]
        assert names.count("content-length") <= 1, headers
        assert "connection" not in names, headers  # hop-by-hop: the server's to send
        answer.update(status=int(status.split()[0]), headers=dict(headers))

    # As Django's test client does: a request must not close the test's own connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        answer["body"] = b"".join(application(environ, start_response)).decode()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return answer


def test_a_post_beyond_the_processs_share_of_threads_is_told_to_retry_at_once(article, settings):
    settings.COMMENTS_POSTING_THREADS = 1
    share = posting._semaphore()
    assert share.acquire(blocking=False)  # another thread of this process is posting
    try:
        busy = through_the_server(article, 1, body="Sent while the <share> is busy")
        reading = Client().get(article.get_absolute_url())
    finally:
        share.release()
    assert busy["status"] == 503 and busy["headers"]["Retry-After"] == "5"
    assert "Many comments are arriving at once" in busy["body"]
    assert "Sent while the &lt;share&gt; is busy</textarea>" in busy["body"]
    assert f'href="http://testserver{article.get_absolute_url()}"' in busy["body"]
    assert reading.status_code == 200  # reading never waits for the share
    free = through_the_server(article, 2)
    assert free["status"] == 302, free["body"][-3000:]  # free again
    assert Comment.objects.count() == 1


def arrived(seconds_ago):
    """The front cache's X-Request-Start (deploy/varnish/alsblog.vcl) of a post that reached
    it `seconds_ago`."""
    return {"HTTP_X_REQUEST_START": f"t={time.time() - seconds_ago:.3f}"}


@contextmanager
def another_post_under_way(settings):
    """Another of this process's threads posting, as behind a front cache, where every
    thread may post: the post the test sends takes the other one."""
    settings.COMMENTS_POSTING_THREADS = 2
    inside, leave = threading.Event(), threading.Event()

    def posting_slowly(environ, start_response):
        inside.set()
        leave.wait(10)
        start_response("302 Found", [])
        return [b""]

    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/articles/a-slug/comments/"}
    setup_testing_defaults(environ)
    other = threading.Thread(
        target=posting.PostingShare(posting_slowly), args=(environ, lambda *args: None)
    )
    other.start()
    assert inside.wait(10)
    try:
        yield
    finally:
        leave.set()
        other.join()


def test_a_post_that_waited_too_long_for_a_thread_is_told_to_retry_at_once(
    article, settings, caplog
):
    waited = posting.MAX_WAIT_SECONDS + 1
    with another_post_under_way(settings):
        late = through_the_server(article, 1, arrived(waited), body="Queued <behind> a flood")
        also_late = through_the_server(article, 3, arrived(waited))
        prompt = through_the_server(article, 2, arrived(0))
    assert late["status"] == 503 and late["headers"]["Retry-After"] == "5"
    assert "Many comments are arriving at once" in late["body"]
    assert "Queued &lt;behind&gt; a flood</textarea>" in late["body"]
    assert prompt["status"] == 302, prompt["body"][-3000:]
    assert list(Comment.objects.values_list("body", flat=True)) == ["Words 2"]
    assert also_late["status"] == 503
    # Told to the operator once, however many posts are turned away in the minute.
    assert caplog.text.count("check that this server's clock agrees") == 1


def test_a_post_sent_alone_is_taken_however_long_it_seems_to_have_waited(article):
    """A clock out of step with the front cache's must not turn away every comment."""
    answer = through_the_server(article, 1, arrived(posting.MAX_WAIT_SECONDS + 30))
    assert answer["status"] == 302, answer["body"][-3000:]
    assert Comment.objects.count() == 1


@pytest.mark.parametrize(
    "request_start",
    [
        lambda now: f"t={now - 3600:.3f}",  # a clock an hour out of step
        lambda now: f"t={now + 90:.3f}",  # ahead of this server's
        lambda now: f"t={int(now * 1_000_000)}",  # microseconds, as Apache writes it
        lambda now: "t=soon",
        lambda now: f"{now - 30:.3f}",  # no "t="
    ],
    ids=["an-hour-behind", "ahead", "microseconds", "no-time", "no-t"],
)
def test_a_request_start_that_cannot_be_believed_turns_no_post_away(
    article, settings, request_start
):
    with another_post_under_way(settings):
        header = {"HTTP_X_REQUEST_START": request_start(time.time())}
        answer = through_the_server(article, 1, header)
    assert answer["status"] == 302, answer["body"][-3000:]
    assert Comment.objects.count() == 1


def test_the_share_is_released_when_posting_fails(settings):
    settings.COMMENTS_POSTING_THREADS = 1

    def broken(environ, start_response):
        raise RuntimeError("a bug")

    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/articles/a-slug/comments/"}
    setup_testing_defaults(environ)
    with pytest.raises(RuntimeError):
        posting.PostingShare(broken)(environ, lambda status, headers: None)
    assert posting._semaphore().acquire(blocking=False)
    posting._semaphore().release()
    assert posting._posting[0] == 0  # no post counted as under way


def test_posts_in_several_threads_never_take_more_than_the_share(settings):
    settings.COMMENTS_POSTING_THREADS = 2
    inside, most = [0], [0]
    lock = threading.Lock()

    def counting(environ, start_response):
        with lock:
            inside[0] += 1
            most[0] = max(most[0], inside[0])
        threading.Event().wait(0.05)
        with lock:
            inside[0] -= 1
        start_response("200 OK", [])
        return [b"ok"]

    server = posting.PostingShare(counting)
    answers = []

    def send():
        environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/articles/a-slug/comments/"}
        setup_testing_defaults(environ)
        server(environ, lambda status, headers: answers.append(status.split()[0]))

    threads = [threading.Thread(target=send) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most[0] <= 2 and "200" in answers and "503" in answers


def test_the_share_guards_the_address_comments_are_posted_to(article):
    assert posting.POST_PATH.match(reverse("comments:post", kwargs={"slug": article.slug}))
    assert not posting.POST_PATH.match(article.get_absolute_url())


def test_once_paused_new_comments_are_turned_away_without_asking_the_database(
    article, ceiling_of_three, django_assert_num_queries
):
    for number in range(4):
        post_from(number, article)
    with django_assert_num_queries(0):
        answer = through_the_server(article, 5, body="Another one")
    assert answer["status"] == 429
    assert "Another one</textarea>" in answer["body"]


def test_a_ceiling_of_nought_means_none(article, settings):
    settings.COMMENTS_MAX_PER_MINUTE = 0
    for number in range(3):
        assert post_from(number, article).status_code == 302


def test_staff_replies_do_not_count_towards_the_ceiling(article, ceiling_of_three):
    for number in range(3):
        make_comment(article, is_staff_reply=True, email="staff@example.org", body=f"S{number}")
    assert post_from(1, article).status_code == 302
