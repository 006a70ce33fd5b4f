"""The shipped VCL (deploy/varnish/alsblog.vcl) in a real Varnish, in front of the live server:
what a reader gets through it, and how each change the worker purges shows at once.

Varnish runs once for the module (tests/varnish.py); each test starts with nothing kept.
"""

import importlib
import time
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.core.signals import request_started
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.test import Client

from articles import publishing
from articles.models import Article
from comments import moderation
from comments.models import Comment
from tests.factories import form_data, make_article, make_comment, make_user, post_url
from tests.varnish import Varnish, require

pytestmark = pytest.mark.varnish

SURROGATE_KEY_HEADERS = ["xkey", "Surrogate-Key", "Cache-Tag"]


@pytest.fixture(scope="module")
def varnish(django_db_setup, django_db_blocker, live_server):
    require()
    server = Varnish(live_server.thread.host, live_server.thread.port)
    # The probe asks /health/live/ between tests too.
    with django_db_blocker.unblock():
        server.start()  # or VarnishFailed, with what varnishd printed
        yield server
        server.stop()


@pytest.fixture
def categories(transactional_db):
    """The categories and staff groups the migrations seed, which a transactional test
    empties after it: the pages here need no more of what `reference_data` seeds (a second
    a test)."""
    from django.apps import apps

    seeding = importlib.import_module("articles.migrations.0002_categories_and_groups")
    seeding.create_categories_and_groups(apps, None)


@pytest.fixture
def front(varnish, settings, categories):
    """Varnish, purged by the site's worker, keeping nothing from an earlier test."""
    settings.FRONT_CACHE = "varnish"
    settings.FRONT_CACHE_URLS = [varnish.url]
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.1", "localhost"]
    assert varnish.request("PURGE", "/", {"xkey-purge": "site"})[0] == 200
    varnish.wait_until_healthy(5)
    return varnish


@pytest.fixture
def site_asked():
    """(method, path, Cookie header) of each request the site itself got, its health checks
    left out."""
    asked = []

    def note(sender, environ, **kwargs):
        if not environ["PATH_INFO"].startswith("/health/"):
            asked.append(
                (environ["REQUEST_METHOD"], environ["PATH_INFO"], environ.get("HTTP_COOKIE"))
            )

    request_started.connect(note, dispatch_uid="test_varnish")
    yield asked
    request_started.disconnect(dispatch_uid="test_varnish")


def times_asked(asked, path, method="GET"):
    return sum(1 for request in asked if request[:2] == (method, path))


@pytest.fixture
def article(categories):
    return make_article(title="Tofersen results", body="<p>What the study found.</p>")


class Answer:
    def __init__(self, status, reason, headers, body):
        self.status, self.reason, self.headers, self.body = status, reason, headers, body
        self.text = body.decode(errors="replace")

    def __repr__(self):
        return f"<{self.status} {self.reason}, X-Front-Cache: {self.cache}>"

    @property
    def cache(self):
        return self.headers.get("X-Front-Cache")


def read(front, path, cookie=None, method="GET", body=None):
    headers = {"Cookie": cookie} if cookie else {}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    return Answer(*front.request(method, path, headers, body))


# What a reader gets.


def test_the_second_reader_of_an_article_gets_varnishs_copy_without_asking_the_site(
    front, article, site_asked
):
    url = article.get_absolute_url()
    first, second = read(front, url), read(front, url)
    assert (first.status, first.cache) == (200, "miss") and "Tofersen results" in first.text
    assert (second.status, second.cache) == (200, "hit")
    assert second.body == first.body
    assert times_asked(site_asked, url) == 1


def test_a_stray_cookie_still_gets_the_copy_everyone_shares(front, article, site_asked):
    url = article.get_absolute_url()
    first = read(front, url, cookie="_ga=GA1.2.3; csrftoken=" + "x" * 32)
    assert first.cache == "miss"
    assert site_asked == [("GET", url, None)]  # the first reader's cookies shape no one's copy
    for cookie in ("_ga=GA1.9.9", None):
        again = read(front, url, cookie=cookie)
        assert again.cache == "hit" and again.body == first.body
    assert times_asked(site_asked, url) == 1


def staff_session():
    client = Client()
    client.force_login(make_user(group="Editors"))
    return client.cookies["sessionid"].value


@pytest.mark.parametrize("cookie", ["sessionid", "commenter", "comments_visit"])
def test_a_visitor_the_site_knows_gets_pages_of_their_own_that_varnish_never_keeps(
    front, article, site_asked, cookie
):
    url = article.get_absolute_url()
    value = staff_session() if cookie == "sessionid" else "anything"
    own = [read(front, url, cookie=f"_ga=1; {cookie}={value}") for _ in range(2)]
    assert [answer.cache for answer in own] == ["miss", "miss"]
    assert all("private" in answer.headers["Cache-Control"] for answer in own)
    assert times_asked(site_asked, url) == 2
    # Nothing of their page was kept for the next reader.
    reader = read(front, url)
    assert reader.cache == "miss" and "public" in reader.headers["Cache-Control"]
    assert times_asked(site_asked, url) == 3


def test_a_form_sent_always_reaches_the_site(front, article, site_asked):
    url = article.get_absolute_url()
    read(front, url)
    form = f"/articles/{article.slug}/comments/"
    posted = [read(front, form, method="POST", body=b"body=First") for _ in range(2)]
    assert [answer.cache for answer in posted] == ["miss", "miss"]
    assert times_asked(site_asked, form, "POST") == 2
    assert read(front, url).cache == "hit"  # the article's copy is untouched


def test_readers_never_see_the_surrogate_keys(front, article):
    url = article.get_absolute_url()
    sent = Client().get(url)  # the site itself sends them, for Varnish
    assert all(header in sent for header in SURROGATE_KEY_HEADERS)
    for answer in (read(front, url), read(front, url)):
        assert answer.status == 200
        assert not [header for header in SURROGATE_KEY_HEADERS if header in answer.headers]


# What a change purges, through the worker.


def test_an_edited_title_shows_through_varnish_once_the_worker_purges(front, article, deliver):
    url = article.get_absolute_url()
    deliver()
    read(front, url)
    article.title = "Tofersen: the two-year results"
    publishing.save(article)
    assert "Tofersen: the two-year results" not in read(front, url).text  # kept until purged
    deliver()
    page = read(front, url)
    assert page.cache == "miss" and "Tofersen: the two-year results" in page.text
    assert "Tofersen: the two-year results" in read(front, "/").text


def test_an_approved_comment_shows_through_varnish_once_the_worker_purges(front, article, deliver):
    url = article.get_absolute_url()
    comment = make_comment(article, status="pending", body="Does it help with bulbar onset?")
    deliver()
    assert "bulbar onset" not in read(front, url).text
    moderation.approve(Comment.objects.filter(pk=comment.pk), by=make_user(group="Moderators"))
    deliver()
    page = read(front, url)
    assert page.cache == "miss" and "Does it help with bulbar onset?" in page.text


def test_a_withdrawn_article_is_gone_through_varnish_and_back_when_published_again(
    front, article, deliver
):
    url, lists = article.get_absolute_url(), ["/", "/category/research/", "/search/?q=tofersen"]
    deliver()
    assert read(front, url).status == 200
    assert all("Tofersen results" in read(front, page).text for page in lists)
    publishing.unpublish(Article.objects.filter(pk=article.pk))
    deliver()
    assert [read(front, url).status for _ in range(2)] == [404, 404]
    assert not [page for page in lists if "Tofersen results" in read(front, page).text]
    publishing.publish(Article.objects.filter(pk=article.pk))
    deliver()
    assert read(front, url).status == 200


def test_varnish_purges_the_keys_it_is_told_and_nothing_else(front, article, site_asked):
    url = article.get_absolute_url()
    read(front, url)
    refused = read(front, "/", method="PURGE")
    assert refused.status == 400 and "xkey-purge" in refused.reason
    assert front.request("PURGE", "/", {"xkey-purge": "article-0 tag-0"})[0] == 200
    assert read(front, url).cache == "hit"
    assert front.request("PURGE", "/", {"xkey-purge": f"article-{article.pk}"})[0] == 200
    assert read(front, url).cache == "miss"
    assert times_asked(site_asked, url) == 2


# While the site cannot answer.


def test_while_the_database_is_away_varnish_serves_the_copy_it_kept_and_forms_reach_the_site(
    front, live_server, article, settings, monkeypatch, site_asked
):
    # Kept 1 s; past its time, served at most a second more while the app server answers
    # (the shipped minute, shortened for the test): after 2.5 s, only as an outage copy.
    settings.FRONT_CACHE_SECONDS = 1
    settings.FRONT_CACHE_REVALIDATE_SECONDS = 1
    own = Varnish(live_server.thread.host, live_server.thread.port, healthy_grace="1s").start()
    try:
        url = article.get_absolute_url()
        kept = read(own, url)
        assert "s-maxage=1" in kept.headers["Cache-Control"]
        time.sleep(2.5)
        cache.clear()  # the app server holds no copy of its own: it can only say 503
        monkeypatch.setattr(CursorWrapper, "execute", database_away)
        monkeypatch.setattr(CursorWrapper, "executemany", database_away)
        answers = [read(own, url) for _ in range(2)]  # a failed refresh replaces nothing
        time.sleep(1.5)  # the probe has asked several times since (down after 1 s of no)
        # The probe (/health/live/) still finds the app server: what Varnish does not keep
        # reaches it, and it answers for itself (here its report; a form, shown back).
        report = read(own, "/health/")
        sent = read(own, post_url(article), method="POST", body=urlencode(form_data(article)))
    finally:
        own.stop()
    for answer in answers:
        assert (answer.status, answer.body) == (200, kept.body)
        assert int(answer.headers["Age"]) >= 2
    assert times_asked(site_asked, url) >= 2  # asked again, and it could not make the page
    assert report.status == 503 and b'"status": "unavailable"' in report.body
    assert form_data(article)["body"].encode() in sent.body  # shown back, not lost


def database_away(self, *args, **kwargs):
    raise OperationalError("server closed the connection unexpectedly")
