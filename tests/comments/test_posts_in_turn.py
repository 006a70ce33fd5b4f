"""On SQLite, comment posts from every process take turns to check and store, each as soon as
the last is done, rather than sleeping on a busy database (comments/screening.py,
posts_in_turn)."""

import fcntl
import threading
import time

import pytest
from django.db import connection
from django.test import Client

from comments import screening
from comments.models import Comment
from tests.factories import form_data, make_article, post_url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_flood_wait")]


@pytest.fixture
def turn_file(tmp_path, monkeypatch):
    """The turn's lock file, as beside a database on disk (the tests' database is in memory)."""
    if connection.vendor != "sqlite":
        pytest.skip("posts take turns on SQLite only; PostgreSQL stores them side by side")
    path = tmp_path / "db.sqlite3-posts.lock"
    monkeypatch.setattr(screening, "_turn_path", lambda: str(path))
    return path


def another_process_storing(path, seconds):
    """Hold the turn for `seconds`, as a post in another process does (a lock on a file of
    one's own opening is not shared with the server's)."""
    held = open(path, "a")  # noqa: SIM115 (closed by the thread)
    fcntl.flock(held, fcntl.LOCK_EX)

    def release():
        time.sleep(seconds)
        fcntl.flock(held, fcntl.LOCK_UN)
        held.close()

    threading.Thread(target=release, daemon=True).start()


def post(article, body):
    started = time.monotonic()
    answer = Client().post(post_url(article), form_data(article, body=body))
    return answer, time.monotonic() - started


def test_a_post_waits_while_another_process_stores_then_is_stored(turn_file):
    article = make_article()
    another_process_storing(turn_file, 0.5)
    answer, took = post(article, "Sent while another post was being stored")
    assert answer.status_code == 302
    assert Comment.objects.filter(body="Sent while another post was being stored").exists()
    assert took >= 0.5
    # The turn is given back: another process may take it at once.
    with open(turn_file, "a") as other:
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)


def test_a_post_whose_turn_never_comes_is_left_to_the_database_after_its_timeout(
    turn_file, monkeypatch
):
    article = make_article()
    monkeypatch.setitem(connection.settings_dict["OPTIONS"], "timeout", 0.3)
    another_process_storing(turn_file, 30)
    answer, took = post(article, "Sent while another process was stuck")
    assert answer.status_code == 302
    assert Comment.objects.filter(body="Sent while another process was stuck").exists()
    assert 0.3 <= took < 5
