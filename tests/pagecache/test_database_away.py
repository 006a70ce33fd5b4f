"""While the database is away, readers get the pages the cache holds, and a kind 503 otherwise."""

import time
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import OperationalError, connection, transaction
from django.test import Client, RequestFactory
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles import publishing
from articles.models import Article
from comments import erasing
from comments.models import Comment
from pagecache import newest, serving, versions
from tests.factories import form_data, make_article, make_comment, make_user, post_url

pytestmark = pytest.mark.django_db


@contextmanager
def database_away(but=None):
    """Every query (but those `but` says may pass) fails as it does while PostgreSQL
    restarts; yields the list of the queries that were tried."""
    tried = []

    def refuse(execute, sql, params, many, context):
        if but and but(sql):
            return execute(sql, params, many, context)
        tried.append(sql)
        raise OperationalError("server closed the connection unexpectedly")

    with connection.execute_wrapper(refuse):
        yield tried


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


def test_its_form_is_whole_with_its_timestamp_filled_in(article):
    reader().get(article.get_absolute_url())
    with database_away():
        served = reader().get(article.get_absolute_url()).content.decode()
    assert 'name="timestamp" value="' in served
    assert serving.placeholders.PREFIX not in served  # every marker filled in


def test_a_page_not_in_the_cache_gets_the_back_in_a_minute_page(article):
    with database_away():
        response = reader().get(article.get_absolute_url())
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assertContains(response, "We are back in a minute", status_code=503)
    assert "Traceback" not in response.content.decode()


def test_nothing_is_served_longer_than_the_bound_after_the_database_was_last_read(
    article, settings, monkeypatch
):
    reader().get(article.get_absolute_url())
    bound = settings.PAGE_CACHE_STALE_SECONDS + 1
    later, later_wall = time.monotonic() + bound, time.time() + bound
    monkeypatch.setattr(serving.time, "monotonic", lambda: later)
    monkeypatch.setattr(serving.time, "time", lambda: later_wall)
    with database_away():
        assert reader().get(article.get_absolute_url()).status_code == 503


def test_a_page_read_from_the_cache_long_after_it_was_stored_is_still_there_in_an_outage(
    article,
):
    reader().get(article.get_absolute_url())  # stored
    cache.delete(serving._stale_key(RequestFactory().get(article.get_absolute_url())))
    assert reader().get(article.get_absolute_url())["X-Page-Cache"] == "hit"
    with database_away():
        served = reader().get(article.get_absolute_url())
    assert served.status_code == 200 and served["X-Page-Cache"] == "stale"


def test_a_copy_from_before_a_change_the_process_knows_of_is_never_served(article):
    reader().get(article.get_absolute_url())  # stored, with its copy for outages
    with transaction.atomic():
        versions.bump()  # e.g. a comment on it was rejected
    assert reader().get("/")["X-Page-Cache"] == "miss"  # the new version is read
    with database_away():
        assert reader().get(article.get_absolute_url()).status_code == 503


def test_the_copy_is_served_when_the_database_fails_while_the_page_is_rendered(article):
    reader().get(article.get_absolute_url())
    cache.delete(serving._key(RequestFactory().get(article.get_absolute_url()), versions.current()))
    with database_away(but=lambda sql: sql == versions.STATE_SQL):
        served = reader().get(article.get_absolute_url())
    assert served.status_code == 200 and served["X-Page-Cache"] == "stale"


def test_after_a_failure_the_database_is_left_alone_for_a_few_seconds(article):
    reader().get(article.get_absolute_url())
    with database_away() as tried:
        reader().get(article.get_absolute_url())
        asked = len(tried)
        again = reader().get(article.get_absolute_url())
    assert asked and len(tried) == asked  # no query tried the second time
    assert again["X-Page-Cache"] == "stale"


def test_the_try_again_link_of_a_page_never_leads_off_the_site(article):
    with database_away():
        response = reader().get("//evil.example/x")
    assert response.status_code == 503
    assert 'href="//evil.example' not in response.content.decode()


def test_pages_come_back_by_themselves_when_the_database_does(article, monkeypatch):
    reader().get(article.get_absolute_url())
    with database_away():
        assert reader().get(article.get_absolute_url())["X-Page-Cache"] == "stale"
    later = time.monotonic() + serving.RETRY_DATABASE_SECONDS + 1
    monkeypatch.setattr(serving.time, "monotonic", lambda: later)
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


# No process serves a page older than the newest version any process has seen: the page of
# a withdrawn article, or with a name since erased, never comes back in an outage.


def withdraw(article):
    publishing.unpublish(Article.objects.filter(pk=article.pk))


def erase_the_commenter(article):
    erasing.anonymise(Comment.objects.filter(article=article))


@pytest.fixture
def article_with_a_comment(article):
    make_comment(article, status=Comment.Status.APPROVED, name="Maria Lopez")
    return article


@pytest.mark.parametrize("change, status", [(withdraw, 404), (erase_the_commenter, 503)])
def test_a_process_that_was_idle_during_a_withdrawal_never_serves_the_page_of_before(
    article_with_a_comment, change, status, django_capture_on_commit_callbacks
):
    url = article_with_a_comment.get_absolute_url()
    assertContains(reader().get(url), "Maria Lopez")  # stored, as this process read it
    noted, last_read = dict(newest._noted), dict(serving._last_read)
    with django_capture_on_commit_callbacks(execute=True):
        change(article_with_a_comment)  # in another process: staff, on another server
    newest._noted.update(noted)  # this process has not read the database since
    serving._last_read.update(last_read)
    with database_away():
        response = reader().get(url)
    assert response.status_code == status  # a withdrawn article: not found, as before
    assertNotContains(response, "Maria Lopez", status_code=status)


def test_a_process_started_during_the_outage_serves_no_page_older_than_the_newest(
    article_with_a_comment, django_capture_on_commit_callbacks
):
    url = article_with_a_comment.get_absolute_url()
    reader().get(url)  # stored, with its copy for outages
    with django_capture_on_commit_callbacks(execute=True):
        withdraw(article_with_a_comment)
    newest.forget_here()  # a process that starts now knows nothing of its own
    serving._last_read.update(state=None, at=0.0)
    with database_away():
        response = reader().get(url)
    assert response.status_code in (404, 503)
    assertNotContains(response, "Maria Lopez", status_code=response.status_code)


# A page taken down answers "not found" through an outage, as it did before it; one put back
# does not.


def test_a_withdrawn_article_is_not_found_through_an_outage_asked_for_the_first_time(
    article, django_capture_on_commit_callbacks
):
    url = article.get_absolute_url()
    reader().get(url)  # stored, with its copy for outages
    with django_capture_on_commit_callbacks(execute=True):
        withdraw(article)
    with database_away():  # nobody asked for it between the withdrawal and the outage
        response = reader().get(url)
        later_page = reader().get(url + "?page=2")
    assert response.status_code == 404 and later_page.status_code == 404
    assertContains(response, "We can’t find that page", status_code=404)
    assertNotContains(response, "What the study found.", status_code=404)
    assert "no-store" in response["Cache-Control"]


def test_a_deleted_article_is_not_found_through_an_outage(
    article, django_capture_on_commit_callbacks
):
    url = article.get_absolute_url()
    reader().get(url)
    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.filter(pk=article.pk).delete()
    with database_away():
        assert reader().get(url).status_code == 404


def test_the_old_address_of_an_article_given_a_new_one_is_not_found_through_an_outage(
    article, django_capture_on_commit_callbacks
):
    old = article.get_absolute_url()
    reader().get(old)
    with django_capture_on_commit_callbacks(execute=True):
        article.slug = "tofersen-results-in-full"
        publishing.save(article)
    with database_away():
        assert reader().get(old).status_code == 404
        assert reader().get(article.get_absolute_url()).status_code == 503  # never stored


@pytest.mark.parametrize("again", ["publish", "save"])
def test_an_article_published_again_is_not_called_gone_in_an_outage(
    article, again, django_capture_on_commit_callbacks
):
    url = article.get_absolute_url()
    with django_capture_on_commit_callbacks(execute=True):
        withdraw(article)
    with django_capture_on_commit_callbacks(execute=True):
        if again == "publish":
            publishing.publish(Article.objects.filter(pk=article.pk))
        else:
            article.refresh_from_db()
            article.status = Article.Status.PUBLISHED
            publishing.save(article)
    with database_away():
        assert reader().get(url).status_code == 503  # not read since: back in a minute
    serving._database_down_until[0] = 0.0  # the database is back
    assert reader().get(url).status_code == 200
    with database_away():
        assert reader().get(url).status_code == 200


def test_an_article_saved_back_to_draft_is_not_found_through_an_outage(
    article, django_capture_on_commit_callbacks
):
    url = article.get_absolute_url()
    reader().get(url)
    with django_capture_on_commit_callbacks(execute=True):
        article.status = Article.Status.DRAFT
        publishing.save(article)
    with database_away():
        assert reader().get(url).status_code == 404


def test_an_article_withdrawn_then_scheduled_is_not_called_gone_once_public(
    article, django_capture_on_commit_callbacks
):
    url = article.get_absolute_url()
    with django_capture_on_commit_callbacks(execute=True):
        withdraw(article)
    with django_capture_on_commit_callbacks(execute=True):
        article.refresh_from_db()
        article.status = Article.Status.PUBLISHED
        article.publish_at = timezone.now() + timedelta(seconds=1)
        publishing.save(article)  # public by itself at its time, with no save then
    with database_away():
        assert reader().get(url).status_code == 503


def test_an_address_nobody_took_down_is_back_in_a_minute_in_an_outage(article):
    reader().get(article.get_absolute_url())
    with database_away():
        assert reader().get("/articles/never-written/").status_code == 503


def test_the_newest_version_is_kept_where_every_process_of_the_machine_reads_it(
    monkeypatch, tmp_path
):
    monkeypatch.setattr(newest, "_path", lambda: tmp_path / "newest")
    newest.note(41)
    newest.note(40)  # older than what is noted: changes nothing
    newest.forget_here()
    cache.clear()  # another process, without Redis: its cache is its own
    assert newest.known()["version"] == 41
