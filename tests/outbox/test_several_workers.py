"""Several workers against one PostgreSQL database send each email exactly once."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from outbox.messages import Message
from outbox.models import Email
from outbox.queue import send, wake_worker

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)


def worker_env(smtp_server):
    database = connection.settings_dict
    url = (
        f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
        f"{database['PORT'] or 5432}/{database['NAME']}"
    )
    keep = {key: value for key, value in os.environ.items() if key in ("PATH", "HOME", "LANG")}
    return {
        **keep,
        "DJANGO_SETTINGS_MODULE": "alsblog.settings",
        "SECRET_KEY": "tests-only-secret-key-not-for-production",
        "DATABASE_URL": url,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_server.port),
    }


def test_two_workers_at_once_send_every_email_exactly_once(smtp_server):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (CI runs this with DATABASE_URL set)")
    addresses = [f"reader{number}@example.com" for number in range(300)]
    send([Message(key=f"n{n}", kind="note", to=a, subject="Hi", text=".") for n, a in
          enumerate(addresses)])  # fmt: skip
    for _ in range(6):  # runs enough for both workers to be delivering at the same time
        wake_worker()
    command = [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay",
               "--no-reload", "--verbosity", "0"]  # fmt: skip
    workers = [subprocess.Popen(command, cwd=ROOT, env=worker_env(smtp_server)) for _ in range(2)]
    for worker in workers:
        assert worker.wait(timeout=120) == 0
    received = sorted(message["To"] for message in smtp_server.messages)
    assert received == sorted(addresses)
    assert set(Email.objects.values_list("status", flat=True)) == {Email.Status.SENT}
    from django_tasks_db.models import DBTaskResult

    ran_by = {worker for task in DBTaskResult.objects.all() for worker in task.worker_ids}
    assert len(ran_by) == 2  # both workers took deliveries


def test_a_worker_skips_the_emails_another_worker_is_claiming_right_now():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (CI runs this with DATABASE_URL set)")
    import psycopg

    from outbox import delivery

    send([Message(key=f"n{n}", kind="note", to=f"r{n}@example.com", subject="Hi", text=".")
          for n in range(2)])  # fmt: skip
    first, second = Email.objects.order_by("pk")
    with connection.cursor() as cursor:  # waiting for the lock would fail, not hang
        cursor.execute("SET lock_timeout = '2s'")
    database = connection.settings_dict
    other = psycopg.connect(
        dbname=database["NAME"], user=database["USER"],
        host=database["HOST"] or "127.0.0.1", port=database["PORT"] or 5432,
    )  # fmt: skip
    try:
        with other.transaction():  # another worker, in the middle of claiming the first
            other.execute(f"SELECT id FROM {Email._meta.db_table} WHERE id = %s FOR UPDATE",
                          [first.pk])  # fmt: skip
            claimed = delivery.claim(10)
            assert [email.pk for email in claimed] == [second.pk]
    finally:
        other.close()
