"""A PostgreSQL server of a test's own, restarted under load (tests and `make bench`).

`own_postgres()` starts one in a temporary folder on a free port, with the machine's
initdb and pg_ctl (the shared server on 5432 is never touched); `restart_under_load()`
runs the production server (granian, alsblog/serve.py) against it, stops and starts the
database while 16 readers load a cached article page and one a page that needs the
database, and returns every answer they got.
"""

import glob
import http.client
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager, suppress
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BINARIES = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
READERS = 16


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def as_postgres(command):
    """PostgreSQL refuses to run as root: run its programs as the postgres user then."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@contextmanager
def own_postgres():
    bin_dir = Path(BINARIES[-1]).parent
    folder = Path(tempfile.mkdtemp(prefix="alsblog-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    data, port = folder / "data", free_port()
    subprocess.run(
        as_postgres([bin_dir / "initdb", "-D", data, "-A", "trust", "-U", "postgres"]),
        check=True,
        capture_output=True,
    )
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"

    def pg_ctl(*arguments):
        command = [bin_dir / "pg_ctl", "-D", data, "-l", folder / "log", "-w", *arguments]
        subprocess.run(as_postgres(command), check=True, capture_output=True)

    pg_ctl("-o", options, "start")
    try:
        yield f"postgres://postgres@127.0.0.1:{port}/postgres", pg_ctl, options
    finally:
        with suppress(subprocess.CalledProcessError):  # a test may have left it stopped
            pg_ctl("-m", "immediate", "stop")
        shutil.rmtree(folder, ignore_errors=True)


def server_env(database_url, port):
    env = {key: value for key, value in os.environ.items() if key in ("PATH", "HOME", "LANG")}
    env.update(
        DJANGO_SETTINGS_MODULE="tests.server_settings",
        SECRET_KEY="restart-test-only-secret-key-" + "x" * 40,
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=database_url,
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="2",
        PYTHONPATH=str(ROOT),
    )
    return env


SETUP = """
from tests.factories import make_article
article = make_article(title="Tofersen results", body="<p>What the study found.</p>")
print(article.get_absolute_url())
"""


@contextmanager
def production_server(env):
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    made = subprocess.run(
        [*manage, "shell", "-c", SETUP], cwd=ROOT, env=env, check=True, capture_output=True
    )
    path = made.stdout.decode().strip().splitlines()[-1]
    server = subprocess.Popen(
        [sys.executable, "-m", "alsblog.serve"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    host, port = env["BIND"].split(":")
    try:
        deadline = time.monotonic() + 30
        while get(host, port, "/robots.txt")[0] != 200:
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
        yield host, port, path
    finally:
        server.terminate()
        server.wait(timeout=20)


def get(host, port, path, connection=None):
    try:
        connection = connection or http.client.HTTPConnection(host, port, timeout=10)
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status, response.getheader("X-Page-Cache", "")
    except OSError:
        return None, ""


def store_in_every_worker(host, port, path, workers):
    """Ask for the page until every worker has stored it (and its copy for outages).

    Each worker keeps its pages in its own memory and renders a page the first time it is
    asked for it (`miss`), then answers from memory (`hit`): one `miss` per worker, asked
    one at a time. A worker still starting answers nothing, so counting requests is not
    enough: on a busy machine the first worker to start can take every one of them.
    """
    misses, deadline = 0, time.monotonic() + 30
    while misses < workers:
        assert time.monotonic() < deadline, f"only {misses} of {workers} workers stored the page"
        status, cache = get(host, port, path)
        assert status == 200, status
        misses += cache == "miss"
        if cache == "hit":  # the other worker may still be starting: leave it the processor
            time.sleep(0.05)


def load(host, port, path, stop, answers):
    connection = http.client.HTTPConnection(host, port, timeout=10)
    while not stop.is_set():
        status, cache = get(host, port, path, connection)
        answers.append((status, cache))
        if status is None:
            connection = http.client.HTTPConnection(host, port, timeout=10)


def restart_under_load(database_url, pg_ctl, options):
    """Stop and start the database while readers load the article and a search page."""
    env = server_env(database_url, free_port())
    with production_server(env) as (host, port, article):
        store_in_every_worker(host, port, article, int(env["WEB_CONCURRENCY"]))
        stop = threading.Event()
        readers, searches = [], []
        threads = [
            threading.Thread(target=load, args=(host, port, article, stop, readers))
            for _ in range(READERS)
        ]
        threads.append(
            threading.Thread(target=load, args=(host, port, "/search/?q=tofersen", stop, searches))
        )
        for thread in threads:
            thread.start()
        time.sleep(1)
        pg_ctl("-m", "fast", "stop")
        time.sleep(3)  # the database is away for a few seconds
        pg_ctl("-o", options, "start")
        time.sleep(3)  # the servers ask the database again within 2 s of its last failure
        stop.set()
        for thread in threads:
            thread.join()
        return readers, searches, back_to_normal(host, port, article)


def back_to_normal(host, port, path, seconds=10):
    """The first answer that is not the copy kept for outages, or the last one, by `seconds`:
    a worker leaves the database alone for a moment after it failed, longer on a slow
    machine. Asked on one connection, so that a `miss` means its worker stored no copy."""
    connection = http.client.HTTPConnection(host, port, timeout=10)
    deadline = time.monotonic() + seconds
    answer = get(host, port, path, connection)
    while answer[1] == "stale" and time.monotonic() < deadline:
        time.sleep(0.2)
        answer = get(host, port, path, connection)
    return answer
