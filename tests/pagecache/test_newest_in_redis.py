"""The newest public version, shared through Redis by every process of every app server:
raised in one step, so that two processes noting at once never leave the older version."""

import pytest
from django.core.cache import cache

from core import redis_cache
from pagecache import newest
from tests.redisserver import cache_settings, own_redis


@pytest.fixture
def shared_redis(settings, monkeypatch):
    with own_redis() as server:
        settings.CACHES = cache_settings(server.url)
        monkeypatch.setattr(redis_cache, "_away_until", {})
        monkeypatch.setattr(newest, "_path", lambda: None)  # Redis alone, not the file
        newest.forget_here()
        yield server
        newest.forget_here()


def test_a_process_that_read_before_another_wrote_never_lowers_the_newest_version(
    shared_redis, monkeypatch
):
    newest.note(7)  # another process, on another server, noted 7
    newest.forget_here()  # this one knows less: it last read version 5
    # Had this process read the cache before the other wrote (and compared in Python), it
    # would see nothing there, and write 5 over 7.
    monkeypatch.setattr(type(cache._connections["default"]), "get", lambda *a, **k: None)
    newest.note(5)
    monkeypatch.undo()
    newest.forget_here()
    assert newest.known()["version"] == 7


def test_a_newer_version_replaces_the_one_kept_and_says_when(shared_redis):
    newest.note(7)
    newest.forget_here()
    newest.note(9)
    newest.forget_here()
    kept = newest.known()
    assert kept["version"] == 9 and kept["at"] > 0


def test_a_version_noted_while_redis_was_down_reaches_it_once_it_is_back(shared_redis, monkeypatch):
    newest.note(7)
    shared_redis.stop()
    newest.note(8)  # a change committed while Redis was down: it could not be told
    shared_redis.start()  # back, empty (it keeps nothing on disk)
    monkeypatch.setattr(redis_cache, "_away_until", {})  # the backoff is over
    newest.note(8)  # the next page this process serves reads version 8 again
    newest.forget_here()  # another process, on another server, asks Redis
    assert newest.known()["version"] == 8
