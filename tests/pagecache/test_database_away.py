"""While the database is away, readers get the pages the cache holds, and a kind 503 otherwise."""

import time
from contextlib import contextmanager

import pytest
from django.db import OperationalError, connection
from django.test import Client
from pytest_django.asserts import assertContains

from pagecache import serving
from tests.factories import form_data, make_article, make_user, post_url

pytestmark = pytest.mark.django_db


@contextmanager
def database_away():
    """Every query fails as it does while PostgreSQL restarts."""

    def refuse(execute, sql, params, many, context):
        raise OperationalError("server closed the connection unexpectedly")

    with connection.execute_wrapper(refuse):
        yield


def reader():
    return Client(raise_request_exception=False)


@pytest.fixture
def article():
    return make_article(title="Tofersen results", body="<p>What the study found.</p>")


def test_a_cached_page_is_served_as_stored_while_the_database_is_away(article, caplog):
    assert reader().get(article.get_absolute_url())["X-Page-Cache"] == "miss"
    with database_away():
        served = reader().get(article.get_absolute_url())
    assert served.status_code == 200
    assert served["X-Page-Cache"] == "stale"
    assertContains(served, "What the study found.")
    assert "Database unavailable: served" in caplog.text


def test_its_form_still_works_with_a_token_of_the_visitors_own(article):
    reader().get(article.get_absolute_url())
    with database_away():
        served = reader().get(article.get_absolute_url()).content.decode()
    assert 'name="csrfmiddlewaretoken" value="' in served
    assert serving.placeholders.PREFIX not in served  # every marker filled in


def test_a_page_not_in_the_cache_gets_the_back_in_a_minute_page(article):
    with database_away():
        response = reader().get(article.get_absolute_url())
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assertContains(response, "We are back in a minute", status_code=503)
    assert "Traceback" not in response.content.decode()


def test_a_copy_older_than_the_bound_is_not_served(article, settings, monkeypatch):
    reader().get(article.get_absolute_url())
    later = time.time() + settings.PAGE_CACHE_STALE_SECONDS + 1
    monkeypatch.setattr(serving.time, "time", lambda: later)
    with database_away():
        assert reader().get(article.get_absolute_url()).status_code == 503


def test_pages_come_back_by_themselves_when_the_database_does(article):
    reader().get(article.get_absolute_url())
    with database_away():
        assert reader().get(article.get_absolute_url())["X-Page-Cache"] == "stale"
    assert reader().get(article.get_absolute_url())["X-Page-Cache"] == "hit"


def test_a_logged_in_reader_gets_the_public_copy_too(article):
    reader().get(article.get_absolute_url())
    staff = Client(raise_request_exception=False)
    staff.force_login(make_user(group="Moderators"))
    with database_away():
        served = staff.get(article.get_absolute_url())
    assert served.status_code == 200 and served["X-Page-Cache"] == "stale"


def test_a_comment_sent_while_the_database_is_away_is_shown_back_to_copy(article):
    writer = reader()
    writer.get(article.get_absolute_url())
    data = form_data(article, body="Ten minutes of careful <typing> & thought")
    with database_away():
        response = writer.post(
            post_url(article), data, HTTP_REFERER=f"http://testserver{article.get_absolute_url()}"
        )
    assert response.status_code == 503
    content = response.content.decode()
    assert "Your comment was not sent yet" in content
    assert "Ten minutes of careful &lt;typing&gt; &amp; thought</textarea>" in content
    assert f'href="http://testserver{article.get_absolute_url()}"' in content


def test_the_try_again_link_never_leads_off_the_site(article):
    with database_away():
        response = reader().post(
            post_url(article), form_data(article), HTTP_REFERER="https://evil.example/"
        )
    assert 'href="/"' in response.content.decode()


def test_any_other_error_is_still_the_500_page(article, monkeypatch):
    from articles import views

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(views, "article_context", broken)
    response = reader().get(article.get_absolute_url() + "?uncached=1")
    assert response.status_code == 500
    assertContains(response, "Something went wrong on our side", status_code=500)
