"""/health/ tells a load balancer whether this server can answer readers, and how it is."""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django_tasks_db.models import DBTaskResult

from outbox.messages import Message
from outbox.queue import send
from tests.pagecache.test_database_away import database_away

pytestmark = pytest.mark.django_db


def test_a_healthy_server_answers_200_with_each_part_reported():
    response = Client().get("/health/")
    assert response.status_code == 200
    report = response.json()
    assert report["status"] == "ok" and report["database"] == "ok" and report["cache"] == "ok"
    assert report["outbox"] == {
        "emails_due": 0, "oldest_due_seconds": 0, "failed_emails": 0, "worker": "ok",
    }  # fmt: skip
    assert "no-cache" in response["Cache-Control"]


def test_without_its_database_a_server_answers_503_so_readers_go_elsewhere():
    with database_away():
        response = Client(raise_request_exception=False).get("/health/")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "down", "cache": "ok"}


def test_mail_waiting_and_a_worker_that_takes_no_task_are_reported(clock):
    send([Message(key="n1", kind="test", to="r@example.com", subject="S", text="T")])
    clock.advance(minutes=5)
    report = Client().get("/health/").json()
    assert report["status"] == "ok"  # readers are still served
    assert report["outbox"]["emails_due"] == 1
    assert report["outbox"]["oldest_due_seconds"] >= 5 * 60
    assert report["outbox"]["worker"] == "late"  # the delivery run queued is still waiting
    assert DBTaskResult.objects.filter(status="READY").exists()


def test_the_report_holds_no_secret(settings):
    body = Client().get("/health/").content.decode()
    for secret in (settings.SECRET_KEY, settings.DATABASES["default"]["NAME"].__str__()):
        assert secret not in body


def test_a_cache_that_is_down_is_reported_but_the_server_still_answers(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "core.redis_cache.BackingOffRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.1, "socket_timeout": 0.1},
        }
    }
    response = Client().get("/health/")
    assert response.status_code == 200 and response.json()["cache"] == "down"


def test_without_the_database_the_front_caches_probe_still_finds_the_server_alive():
    # Varnish probes /health/live/: were it /health/, every app server would be "sick" while
    # the database is away, and readers would lose the outage copies and the form shown back.
    with database_away():
        ready = Client(raise_request_exception=False).get("/health/")
        alive = Client(raise_request_exception=False).get("/health/live/")
    assert (ready.status_code, ready.json()["status"]) == (503, "unavailable")
    assert (alive.status_code, alive.json()) == (200, {"status": "alive"})
    assert "no-cache" in alive["Cache-Control"]
    vcl = (Path(settings.BASE_DIR) / "deploy" / "varnish" / "backends.vcl").read_text()
    assert '.request = "GET /health/live/ HTTP/1.1"' in vcl
