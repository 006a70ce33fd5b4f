"""What a crashed or failed worker left behind is picked up by the sweep (sweep_outbox)."""

import io

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from outbox import queue, store
from outbox.models import Email
from tests.factories import form_data, make_article, make_user, post_url

pytestmark = pytest.mark.django_db
Status = Email.Status


@pytest.fixture
def moderator():
    return make_user(group="Moderators", email="mod@example.org")


def sweep():
    call_command("sweep_outbox", stdout=io.StringIO())


def post_a_comment(client):
    article = make_article()
    client.post(post_url(article), form_data(article))


def test_a_compose_task_whose_worker_died_is_resumed_and_the_email_sent_once(
    client, moderator, smtp_server, deliver, clock
):
    post_a_comment(client)
    DBTaskResult.objects.update(status="RUNNING", started_at=timezone.now())  # then it died
    deliver()
    sweep()
    assert smtp_server.to("mod@example.org") == []  # it might still be composing
    clock.advance(minutes=11)
    sweep()
    deliver()
    sweep()
    deliver()
    assert len(smtp_server.to("mod@example.org")) == 1


def test_a_compose_task_that_failed_once_is_resumed_by_the_sweep(
    client, moderator, smtp_server, deliver, monkeypatch
):
    post_a_comment(client)
    real_store = store.store

    def broken(messages):
        raise OperationalError("the database went away for a moment")

    monkeypatch.setattr(store, "store", broken)
    deliver()
    assert DBTaskResult.objects.filter(status="FAILED").count() == 1
    monkeypatch.setattr(store, "store", real_store)
    sweep()
    deliver()
    assert len(smtp_server.to("mod@example.org")) == 1
    assert not DBTaskResult.objects.filter(status="FAILED").exists()


def test_claims_of_a_dead_worker_get_a_delivery_run_with_no_new_mail(smtp_server, deliver, clock):
    from outbox.messages import Message

    queue.send([Message(key="n", kind="test", to="r@example.com", subject="S", text="T")])
    Email.objects.update(status=Status.SENDING, claimed_at=timezone.now())
    DBTaskResult.objects.all().delete()  # the worker died with its task
    clock.advance(minutes=11)
    sweep()
    deliver()
    assert len(smtp_server.to("r@example.com")) == 1
