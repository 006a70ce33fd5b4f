"""The public version: every change makes it grow, whatever the clock or the database says."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django.asserts import assertContains

from articles import publishing
from pagecache import versions
from pagecache.models import PublicVersion
from tests.factories import make_article, make_scheduled
from tests.visits import served_from_cache, stored_for_everyone

pytestmark = pytest.mark.django_db


@pytest.fixture
def sources(monkeypatch):
    """Sources of scheduled changes registered in a test are forgotten after it."""
    monkeypatch.setattr(versions, "_next_change_sources", list(versions._next_change_sources))


@pytest.fixture
def frozen_clock(monkeypatch):
    """Stop the clock an hour ahead, beyond every version used so far."""
    moment = timezone.now() + timedelta(hours=1)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return moment


def test_a_time_an_app_registers_renews_cached_pages_when_it_comes(clock, sources):
    make_article(title="Already out")
    moment = timezone.now() + timedelta(hours=3)
    versions.register_next_change(lambda: moment)
    versions.bump()  # as the change that scheduled it does
    assert PublicVersion.objects.get().next_change == moment
    Client().get("/feed/rss/")
    assert served_from_cache(Client().get("/feed/rss/"))
    # That very moment, as the database's clock tells it: in whole milliseconds (SQLite), so
    # one more than the site's own clock, which counts microseconds.
    clock.advance(seconds=(moment - timezone.now()).total_seconds() + 0.001)
    assert stored_for_everyone(Client().get("/feed/rss/"))


def test_two_changes_within_one_millisecond_both_reach_cached_pages(frozen_clock):
    article = make_article(body="<p>First words.</p>")
    assertContains(Client().get(article.get_absolute_url()), "First words.")
    article.body = "<p>Second words.</p>"
    publishing.save(article)
    assertContains(Client().get(article.get_absolute_url()), "Second words.")


def test_a_bump_stores_the_time_in_milliseconds_or_one_more_than_the_last(frozen_clock):
    versions.bump()
    clock = int(frozen_clock.timestamp() * 1000)
    assert PublicVersion.objects.get().version == clock
    versions.bump()
    assert PublicVersion.objects.get().version == clock + 1


def test_pages_are_served_and_versions_grow_after_the_version_row_is_lost(monkeypatch):
    # Backups leave the row out (core/management/commands/backup.py); a restore may lose it.
    scheduled = make_scheduled(title="Coming soon")
    used = PublicVersion.objects.get().version
    PublicVersion.objects.all().delete()
    later = timezone.now() + timedelta(minutes=5)  # a restore takes its time
    monkeypatch.setattr(timezone, "now", lambda: later)
    response = Client().get("/")
    assert response.status_code == 200 and stored_for_everyone(response)
    row = PublicVersion.objects.get()
    assert row.version > used
    assert row.next_change == scheduled.publish_at


# App servers whose clocks disagree: what is due is decided by the database's clock.


@pytest.fixture
def clock_behind(monkeypatch):
    """This app server's clock is five minutes behind the database's."""
    behind = timezone.now() - timedelta(minutes=5)
    monkeypatch.setattr(timezone, "now", lambda: behind)


def test_a_server_whose_clock_is_behind_shows_an_article_the_database_says_is_due(
    clock_behind,
):
    make_article(title="Due a minute ago", publish_at=timezone.now() + timedelta(minutes=4))
    assertContains(Client().get("/"), "Due a minute ago")
    assertContains(Client().get("/feed/rss/"), "Due a minute ago")


def test_a_server_whose_clock_is_behind_renews_pages_when_the_database_says_it_is_time(
    clock_behind,
):
    versions.bump()
    PublicVersion.objects.update(next_change=timezone.now() + timedelta(minutes=4))
    before = PublicVersion.objects.get().version
    versions.current()
    assert PublicVersion.objects.get().version > before


def test_a_server_whose_clock_is_behind_serves_the_page_of_an_article_just_due(clock_behind):
    article = make_article(
        title="Due a minute ago", publish_at=timezone.now() + timedelta(minutes=4)
    )
    assertContains(Client().get(article.get_absolute_url()), "Due a minute ago")
