"""Faults survived: mail down, Redis down, PostgreSQL dropping every connection."""

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.factories import form_data, make_article, make_user, post_url

ROOT = Path(__file__).resolve().parent.parent.parent


def answers(host, port):
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.django_db
def test_with_the_mail_server_down_comments_save_and_the_moderator_hears_once_it_is_back(
    smtp_server, deliver, clock
):
    moderator = make_user(group="Moderators", email="mod@example.org")
    article = make_article()
    smtp_server.stop()
    response = Client().post(post_url(article), form_data(article, body="Still here"))
    assert response.status_code == 302
    for _ in range(12):  # an hour of the worker trying
        deliver()
        clock.advance(minutes=5)
    assert smtp_server.messages == []
    client = Client()
    client.force_login(moderator)
    queue = client.get(reverse("admin:comments_comment_changelist")).content.decode()
    assert "Still here" in queue
    smtp_server.start()
    clock.advance(minutes=15)
    for _ in range(3):
        deliver()
        clock.advance(minutes=15)
    assert len(smtp_server.to("mod@example.org")) == 1


@pytest.mark.django_db
def test_with_redis_down_pages_still_render_from_the_database(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "core.redis_cache.BackingOffRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }
    article = make_article(title="Served without a cache")
    for url in ("/", article.get_absolute_url(), "/feed/rss/"):
        for _ in range(2):
            response = Client().get(url)
            assert response.status_code == 200
            assert "Served without a cache" in response.content.decode()
    writer = Client()
    assert writer.post(post_url(article), form_data(article)).status_code == 302
    assert "Awaiting moderation" in writer.get(article.get_absolute_url()).content.decode()
    moderator = Client()
    moderator.force_login(make_user(group="Moderators"))
    assert moderator.get(reverse("admin:comments_comment_changelist")).status_code == 200


@pytest.mark.django_db
@pytest.mark.skipif(not answers("127.0.0.1", 6379), reason="no Redis on 127.0.0.1:6379")
def test_with_redis_up_pages_are_cached_there(settings, django_assert_num_queries):
    settings.CACHES = {
        "default": {
            "BACKEND": "core.redis_cache.BackingOffRedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": f"alsblog-test-{os.getpid()}",
        }
    }
    article = make_article()
    Client().get(article.get_absolute_url())
    with django_assert_num_queries(1):  # the public version; the page comes from Redis
        assert Client().get(article.get_absolute_url()).status_code == 200


@pytest.fixture
def postgres_app(django_db_blocker):
    """gunicorn with production settings on a database of its own, and a way to cut it off."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (CI runs this with DATABASE_URL set)")
    import psycopg

    admin_url = connection.settings_dict
    admin = psycopg.connect(
        host=admin_url["HOST"] or "127.0.0.1", port=admin_url["PORT"] or 5432,
        user=admin_url["USER"], password=admin_url["PASSWORD"] or None,
        dbname="postgres", autocommit=True,
    )  # fmt: skip
    name = f"alsblog_fault_{os.getpid()}"
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.execute(f'CREATE DATABASE "{name}"')
    user = admin_url["USER"] or "postgres"
    url = f"postgres://{user}@{admin_url['HOST'] or '127.0.0.1'}:{admin_url['PORT'] or 5432}/{name}"
    env = {
        "PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "alsblog.settings",
        "SECRET_KEY": "fault-test-" + "k" * 50, "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": url + "?application_name=alsblog-fault", "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0", "PAGE_CACHE": "0", "WEB_CONCURRENCY": "2",
        "GUNICORN_THREADS": "2",
    }  # fmt: skip
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    port = 8790 + os.getpid() % 100
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "alsblog.wsgi", "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip

    def get(path):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as reply:
                return reply.status
        except urllib.error.HTTPError as error:
            return error.code

    def cut_off():
        rows = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE application_name = 'alsblog-fault'"
        ).fetchall()
        return len(rows)

    try:
        for _ in range(100):
            if answers("127.0.0.1", port):
                break
            time.sleep(0.1)
        yield get, cut_off
    finally:
        server.terminate()
        server.wait(timeout=20)
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def test_after_postgresql_drops_every_connection_the_app_recovers_by_itself(postgres_app):
    get, cut_off = postgres_app
    assert all(get("/search/?q=tofersen") == 200 for _ in range(10))
    requests, stop = [], threading.Event()

    def load():
        while not stop.is_set():
            started = time.monotonic()
            requests.append((started, get("/search/?q=tofersen")))

    readers = [threading.Thread(target=load) for _ in range(4)]
    for reader in readers:
        reader.start()
    time.sleep(1)
    # A restart of PostgreSQL ends every connection the app holds, as this does, under load.
    assert cut_off() > 0
    cut_at = time.monotonic()  # connections begun before this may have been cut mid-request
    time.sleep(2)
    stop.set()
    for reader in readers:
        reader.join()
    in_flight = [status for started, status in requests if started < cut_at]
    after = [status for started, status in requests if started >= cut_at]
    assert len(after) > 20
    assert after == [200] * len(after), after  # every request begun after the cut succeeds
    assert in_flight.count(200) >= len(in_flight) - len(readers)  # at most the ones mid-query
