"""A Redis that hangs costs a page at most one short wait, then none until it is tried again."""

import pytest
import redis
from django.core.cache import cache
from django.test import Client

from core import redis_cache
from tests.factories import make_article
from tests.redisserver import cache_settings, own_redis

pytestmark = pytest.mark.django_db


@pytest.fixture
def frozen_redis(settings, monkeypatch):
    """The site's cache on a Redis of the test's own, with the backoff; yields the server
    and a list that counts every command sent to it."""
    with own_redis() as server:
        settings.CACHES = cache_settings(server.url)
        monkeypatch.setattr(redis_cache, "_away_until", {})
        sent = []
        send = redis.connection.AbstractConnection.send_packed_command

        def counting(connection, command, *args, **kwargs):
            sent.append(command)
            return send(connection, command, *args, **kwargs)

        monkeypatch.setattr(redis.connection.AbstractConnection, "send_packed_command", counting)
        yield server, sent


def test_pages_keep_coming_while_redis_hangs_and_it_is_asked_once(frozen_redis):
    server, sent = frozen_redis
    article = make_article(title="Tofersen results")
    assert Client().get(article.get_absolute_url()).status_code == 200  # Redis answers
    server.freeze()
    sent.clear()
    for _ in range(5):
        response = Client().get(article.get_absolute_url())
        assert response.status_code == 200
        assert b"Tofersen results" in response.content
    assert len(sent) == 1  # one call waited for its timeout; the rest did not ask


def test_redis_is_asked_again_after_the_backoff_and_used_when_it_answers(frozen_redis, monkeypatch):
    server, sent = frozen_redis
    server.freeze()
    for _ in range(3):
        with pytest.raises(redis.exceptions.RedisError):
            cache.get("greeting")
    assert len(sent) == 1
    server.thaw()
    later = redis_cache.time.monotonic() + redis_cache.RETRY_SECONDS + 1
    monkeypatch.setattr(redis_cache.time, "monotonic", lambda: later)
    cache.set("greeting", "hello")
    assert cache.get("greeting") == "hello"
