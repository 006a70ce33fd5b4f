"""Who the cache answers, with what, and for how long: its guards, headers and clock."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.cache.backends import locmem
from django.db import DatabaseError
from django.test import Client
from django.utils import timezone
from django.utils.http import parse_http_date
from pytest_django.asserts import assertContains

from pagecache import versions
from tests.factories import make_article
from tests.visits import (
    get_counting_queries,
    served_from_cache,
    stored_for_everyone,
    without_tokens,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return make_article(title="Guarded story")


@pytest.mark.parametrize("method", ["get", "head"])
def test_a_reader_without_cookies_is_answered_before_sessions_are_looked_at(article, method):
    Client().get("/feed/rss/")
    response = getattr(Client(), method)("/feed/rss/")
    assert served_from_cache(response)
    # Had the view's decorator answered, looking at the session would add "Vary: Cookie".
    assert "Cookie" not in response.get("Vary", "")


@pytest.mark.parametrize("method", ["get", "head"])
def test_a_reader_whose_session_has_ended_is_still_served_from_the_cache(settings, article, method):
    Client().get("/feed/rss/")
    reader = Client()
    reader.cookies[settings.SESSION_COOKIE_NAME] = "ended-long-ago"
    assert served_from_cache(getattr(reader, method)("/feed/rss/"))


def test_a_form_sent_to_a_cached_address_never_gets_the_cached_page(article):
    Client().get("/")
    response = Client().post("/", {"q": "trial"})
    assert response.status_code == 405
    assert not served_from_cache(response)


def test_each_numbered_page_of_a_list_is_stored_and_served_from_the_cache(article):
    for _ in range(12):
        make_article()
    first = Client().get("/?page=2")
    again = Client().get("/?page=2")
    assert stored_for_everyone(first) and served_from_cache(again)
    assert without_tokens(again.content) == without_tokens(first.content)


def test_filling_the_cache_reads_the_public_version_once(settings, article):
    settings.PAGE_CACHE = False
    get_counting_queries(Client(), "/")  # whatever a first request loads once per process
    _, rendering = get_counting_queries(Client(), "/")
    settings.PAGE_CACHE = True
    response, filling = get_counting_queries(Client(), "/")
    assert stored_for_everyone(response)
    # One read of the public version either way: the middleware's is handed on to the view,
    # whose footer is cached under it.
    assert filling == rendering


def test_pages_outside_the_cache_answer_while_the_public_version_cannot_be_read(monkeypatch):
    def unreadable():
        raise DatabaseError("no such table: articles_publicversion")  # as before migrations

    monkeypatch.setattr(versions, "current", unreadable)
    assertContains(Client().get("/robots.txt"), "Sitemap:")


def test_a_stored_page_is_kept_no_longer_than_page_cache_seconds(settings, monkeypatch, article):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.PAGE_CACHE_SECONDS = 60
    Client().get("/feed/rss/")
    assert served_from_cache(Client().get("/feed/rss/"))
    a_minute_later = locmem.time.time() + 61
    monkeypatch.setattr(locmem, "time", SimpleNamespace(time=lambda: a_minute_later))
    assert stored_for_everyone(Client().get("/feed/rss/"))


def test_a_page_says_it_last_changed_when_the_public_last_changed(monkeypatch, article):
    later = timezone.now() + timedelta(hours=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    make_article(title="An hour later")
    for response in (Client().get("/"), Client().get("/")):  # stored, then served
        assert parse_http_date(response["Last-Modified"]) == int(later.timestamp())


def test_a_browser_asking_by_date_alone_gets_304_until_the_page_changes(monkeypatch, article):
    browser = Client()
    since = browser.get("/feed/rss/")["Last-Modified"]
    assert browser.get("/feed/rss/", HTTP_IF_MODIFIED_SINCE=since).status_code == 304
    later = timezone.now() + timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    make_article(title="A minute later")
    assertContains(browser.get("/feed/rss/", HTTP_IF_MODIFIED_SINCE=since), "A minute later")


def test_browsers_must_ask_again_each_time_and_shared_caches_may_keep_a_page_for_a_while(
    article, settings
):
    for response in (Client().get("/"), Client().get("/")):  # stored, then served
        directives = {directive.strip() for directive in response["Cache-Control"].split(",")}
        assert directives == {
            "public",
            "max-age=0",
            f"s-maxage={settings.FRONT_CACHE_LIST_SECONDS}",
            f"stale-while-revalidate={settings.FRONT_CACHE_REVALIDATE_SECONDS}",
            f"stale-if-error={settings.FRONT_CACHE_IF_ERROR_SECONDS}",
        }
    article_page = Client().get(article.get_absolute_url())
    assert f"s-maxage={settings.FRONT_CACHE_SECONDS}" in article_page["Cache-Control"]


def test_a_page_for_one_visitor_is_kept_by_no_shared_cache(article, client, django_user_model):
    client.force_login(django_user_model.objects.create_user("editor"))
    response = client.get(article.get_absolute_url())
    directives = {directive.strip() for directive in response["Cache-Control"].split(",")}
    assert {"private", "no-cache"} <= directives and "public" not in directives


def test_a_reader_of_a_page_without_a_form_is_given_no_cookie(article):
    response = Client().get("/feed/rss/?view=compact")  # rendered for this reader alone
    assert response.status_code == 200
    assert not response.cookies


def test_an_app_says_which_sessions_make_pages_personal(article, monkeypatch):
    from pagecache import serving

    monkeypatch.setattr(serving, "_personal_tests", list(serving._personal_tests))
    serving.personal_when(lambda session: "wants-own-pages" in session)
    serving.personal_when(serving._personal_tests[-1])  # registering twice counts once
    visitor = Client()
    session = visitor.session
    session["wants-own-pages"] = True
    session.save()  # the test client keeps the session's cookie
    Client().get(article.get_absolute_url())
    response = visitor.get(article.get_absolute_url())
    assert response["X-Page-Cache"] == "bypass"
    assert (
        len([test for test in serving._personal_tests if test is serving._personal_tests[-1]]) == 1
    )
