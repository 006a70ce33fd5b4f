"""On SQLite, comment posts from every process take turns to check and store, each as soon as
the last is done, rather than sleeping on a busy database (comments/turns.py)."""

import fcntl
import logging
import os
import threading
import time

import pytest
from django.db import connection
from django.test import Client

from comments import turns
from comments.models import Comment
from tests.factories import form_data, make_article, post_url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_flood_wait")]


@pytest.fixture
def lock_file(tmp_path, monkeypatch):
    """The turn's lock file, as beside a database on disk (the tests' database is in memory)."""
    if connection.vendor != "sqlite":
        pytest.skip("posts take turns on SQLite only; PostgreSQL stores them side by side")
    path = tmp_path / "db.sqlite3-posts.lock"
    monkeypatch.setattr(turns, "lock_path", lambda: str(path))
    monkeypatch.setattr(turns, "_warned_at", [-float(turns.WARN_EVERY_SECONDS)])
    yield path
    opened = turns._files.pop(str(path), None)
    if opened is not None:
        os.close(opened)


@pytest.fixture
def another_process(lock_file):
    """Hold the turn as a post in another process does (a lock on a file of one's own opening
    is not shared with the server's); `release()` gives it back, as does the test's end."""
    held = open(lock_file, "a")  # noqa: SIM115 (closed below)
    fcntl.flock(held, fcntl.LOCK_EX)

    class Holder:
        released_at = None

        def release_after(self, seconds):
            def release():
                time.sleep(seconds)
                self.released_at = time.monotonic()
                fcntl.flock(held, fcntl.LOCK_UN)

            threading.Thread(target=release, daemon=True).start()

    yield Holder()
    held.close()


def post(article, body):
    answer = Client().post(post_url(article), form_data(article, body=body))
    return answer, time.monotonic()


def test_a_post_waits_while_another_process_stores_then_is_stored(another_process, lock_file):
    article = make_article()
    another_process.release_after(0.5)
    answer, done_at = post(article, "Sent while another post was being stored")
    assert answer.status_code == 302
    assert Comment.objects.filter(body="Sent while another post was being stored").exists()
    assert done_at >= another_process.released_at
    # The turn is given back: another process may take it at once.
    with open(lock_file, "a") as other:
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)


def test_a_post_whose_turn_never_comes_goes_on_after_the_database_timeout(
    another_process, monkeypatch, caplog
):
    article = make_article()
    monkeypatch.setitem(connection.settings_dict["OPTIONS"], "timeout", 0.3)
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="comments.turns"):
        answer, done_at = post(article, "Sent while another process was stuck")
    assert answer.status_code == 302
    assert Comment.objects.filter(body="Sent while another process was stuck").exists()
    assert 0.3 <= done_at - started < 5
    assert "waited the database's timeout for its turn" in caplog.text


def test_two_posts_of_one_process_never_hold_the_turn_at_once(lock_file):
    # Both threads share the process's one open lock file, whose lock is held by the file,
    # not by a thread: the process's own lock keeps them apart.
    inside, most, start = [0], [0], threading.Barrier(2)
    count = threading.Lock()

    def store():
        start.wait()
        with turns.posts_in_turn():
            with count:
                inside[0] += 1
                most[0] = max(most[0], inside[0])
            time.sleep(0.2)
            with count:
                inside[0] -= 1

    threads = [threading.Thread(target=store) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most[0] == 1


def test_a_lock_file_that_cannot_be_made_loses_no_comment(tmp_path, monkeypatch, caplog):
    if connection.vendor != "sqlite":
        pytest.skip("posts take turns on SQLite only")
    monkeypatch.setattr(turns, "lock_path", lambda: str(tmp_path / "no-such-folder" / "x.lock"))
    article = make_article()
    with caplog.at_level(logging.WARNING, logger="comments.turns"):
        answer, _ = post(article, "Sent where no lock file can be made")
    assert answer.status_code == 302
    assert Comment.objects.filter(body="Sent where no lock file can be made").exists()
    assert "cannot take turns across processes" in caplog.text


def test_a_child_process_opens_a_lock_file_of_its_own(lock_file):
    with turns.posts_in_turn():
        pass  # the parent has opened its lock file
    assert turns._files
    child = os.fork()
    if child == 0:  # pragma: no cover (the child's answer is its exit code)
        os._exit(0 if not turns._files else 1)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
