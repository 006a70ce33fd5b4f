"""Issue 19's acceptance line, for real: "Readers get 0 errors and 0 withdrawn content through
a database restart, a Redis stop and a Redis hang, with two servers behind Varnish."

`make fleet` (deploy/fleet.py: two app servers, the email and purge workers, Varnish with the
shipped VCL) runs on a PostgreSQL and a Redis of the test's own. Readers keep reading through
Varnish, without cookies: the home page, the RSS feed, a category and two articles, each read
before the faults, and one reader who comes from a newsletter link (a tracking parameter of
its own each time, as mail programs add), so that Varnish asks an app server every time and
the app servers' own cache and outage copies are at work, not only Varnish's. Meanwhile, one
after another: PostgreSQL stops for 3 s and starts again; Redis stops for 5 s and starts
again, empty, on its port; Redis hangs (SIGSTOP) for 5 s. An article is withdrawn before the
database restart, and one during each Redis fault.

Every answer to a page that stays public is a 200, with no connection refused or reset; a
withdrawn article's page answers 404 through Varnish within a second of its withdrawal, and
no answer asked for after that second shows its title or a link to it, on any page; its
address still answers 404 while the database is away (pagecache/gone.py). Runs in the
PostgreSQL run of the suite (DATABASE_URL set, as in CI); under a minute.
"""

import contextlib
import html
import http.client
import importlib.util
import itertools
import secrets
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import connection

from demo.articles import ARTICLES
from tests.fleet.running import running_fleet
from tests.pgserver import BINARIES, free_port, own_postgres
from tests.redisserver import own_redis
from tests.varnish import require

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.fleet

_spec = importlib.util.spec_from_file_location("alsblog_fleet", ROOT / "deploy" / "fleet.py")
FLEET = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(FLEET)

TITLES = {entry["slug"]: entry["title"] for entry in ARTICLES}
STAYING = ["tofersen-sod1-als-regaining-function", "neurofilament-light-blood-test-als-trials"]
# One withdrawn before each fault: the first is on the community category's page too.
WITHDRAWN = [
    "caring-for-the-carer-small-things-that-help",
    "tell-your-als-story-to-lawmakers",
    "genetic-testing-for-als-questions-to-ask",
]
LISTS = ["/", "/feed/rss/", "/category/community/"]
PAGES = LISTS + [f"/articles/{slug}/" for slug in STAYING + WITHDRAWN]
NEWSLETTER_PAGES = ["/", f"/articles/{STAYING[1]}/"]
PLAIN_READERS = 3
# A withdrawal reaches every reader through Varnish within this long (the purge worker looks
# for work every 0.2 s).
GONE_SECONDS = 1.0
FAULT_SECONDS = {"database": 3.0, "redis stop": 5.0, "redis hang": 5.0}
# Read on after each fault, while the app servers find the database or Redis again.
AFTER_SECONDS = 4.0


@dataclass(frozen=True)
class Fleet:
    port: int
    env: dict
    pg_ctl: object
    pg_options: str
    redis: object
    output: list


@dataclass(frozen=True)
class Answer:
    at: float  # when the request left (time.monotonic())
    path: str
    status: int | None  # None: no answer (refused, reset, timed out)
    cache: str  # X-Page-Cache, X-Front-Cache, "varnish" or the error for no answer
    shows: frozenset  # which of WITHDRAWN the answer shows (title or link)
    back_soon: bool  # the site's "back in a minute" page
    done: float  # when the answer came back

    @property
    def page(self):
        return self.path.split("?")[0]


def forget_newest_version(env):
    """The newest public version is noted in a file named after the database (host, port,
    name): one left by an earlier run on the same port would outrank this run's versions."""
    code = "from pagecache import newest; newest.forget_everywhere()"
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-v0", "-c", code],
        cwd=ROOT, env=env, check=True, capture_output=True, timeout=60,
    )  # fmt: skip


@pytest.fixture(scope="module")
def fleet():
    if connection.vendor != "postgresql":
        pytest.skip("runs in the PostgreSQL run of the suite (DATABASE_URL set, as in CI)")
    require()
    if not BINARIES:
        pytest.skip("PostgreSQL's server programs (initdb, pg_ctl) are not installed")
    with own_postgres() as (url, pg_ctl, options), own_redis() as redis:
        database = url.rsplit("/", 1)[0] + "/alsblog_fleet"
        port, apps = free_port(), [free_port(), free_port()]
        env = FLEET.environment(port, database, redis.url, secrets.token_urlsafe(50))
        forget_newest_version(env)
        try:
            with running_fleet(port, apps, database, redis.url) as lines:
                yield Fleet(port, env, pg_ctl, options, redis, lines)
        finally:
            redis.thaw()
            forget_newest_version(env)


def get(port, path):
    """(status, who answered, body) of a plain reader's GET through Varnish, on a connection
    of its own (as a browser retries a read on a kept-alive one the server closed)."""
    reader = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        reader.request("GET", path, headers={"Accept-Encoding": "identity"})
        response = reader.getresponse()
        body = response.read().decode(errors="replace")
        # Varnish's own pages (vcl_synth) go out without X-Front-Cache.
        source = response.getheader("X-Page-Cache") or response.getheader("X-Front-Cache")
        return response.status, source or "varnish", body
    except (OSError, http.client.HTTPException) as error:
        return None, type(error).__name__, ""
    finally:
        reader.close()


def shows(path, body):
    """Which of WITHDRAWN the page at `path` shows: its title, or a link to it (a page names
    its own address in its canonical link, even when it answers 404)."""
    return frozenset(
        slug
        for slug in WITHDRAWN
        if TITLES[slug] in body
        or html.escape(TITLES[slug]) in body
        or (f"/articles/{slug}/" in body and not path.startswith(f"/articles/{slug}/"))
    )


class Readers:
    """Plain readers going round PAGES, and a newsletter reader, all through Varnish."""

    def __init__(self, port):
        self.port, self.answers, self.stopping = port, [], threading.Event()
        paths = [itertools.islice(itertools.cycle(PAGES), n, None) for n in range(PLAIN_READERS)]
        numbers = itertools.count()
        newsletter = (
            f"{page}?mc_eid={next(numbers)}" for page in itertools.cycle(NEWSLETTER_PAGES)
        )
        self.threads = [
            threading.Thread(target=self.read, args=(source, 0.01)) for source in paths
        ] + [threading.Thread(target=self.read, args=(newsletter, 0.03))]

    def read(self, paths, pause):
        for path in paths:
            if self.stopping.is_set():
                return
            at = time.monotonic()
            status, cache, body = get(self.port, path)
            back_soon = "We are back in a minute" in body
            answer = Answer(at, path, status, cache, shows(path, body), back_soon, time.monotonic())
            self.answers.append(answer)
            time.sleep(pause)

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        for thread in self.threads:
            thread.join()


def withdraw(fleet, slug):
    """Set the article back to draft, as an editor's Unpublish does; when it returns."""
    code = (
        "from articles import publishing; from articles.models import Article; "
        f"print(publishing.unpublish(Article.objects.filter(slug={slug!r})))"
    )
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v0", "-c", code],
        cwd=ROOT, env=fleet.env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0 and done.stdout.split()[-1:] == ["1"], done.stdout + done.stderr
    return time.monotonic()


def seconds_until_gone(fleet, slug, since):
    """How long after `since` the article's page first answered 404 through Varnish."""
    page = f"/articles/{slug}/"
    while time.monotonic() - since < 10:
        status, _, body = get(fleet.port, page)
        if status == 404 and not shows(page, body):
            return time.monotonic() - since
        time.sleep(0.05)
    return None


def pause_until(moment):
    time.sleep(max(0.0, moment - time.monotonic()))


def warm(fleet):
    """Every page read before the faults: Varnish keeps the shared ones, the app servers
    keep them in Redis (with their copies for outages)."""
    for path in PAGES + [f"{page}?mc_eid=warm{n}" for page in NEWSLETTER_PAGES for n in (1, 2)]:
        for _ in range(2):
            assert get(fleet.port, path)[0] == 200, path


class Run:
    """The faults, one after another, while `readers` read; what happened when."""

    def __init__(self, fleet):
        self.fleet = fleet
        self.faults = []  # (name, start, end): from the fault to AFTER_SECONDS after it ended
        self.withdrawals = {}  # slug: (asked, returned, seconds until its page answered 404)
        self.database_restart = (0.0, 0.0)

    def withdraw(self, slug):
        asked = time.monotonic()
        returned = withdraw(self.fleet, slug)
        self.withdrawals[slug] = (asked, returned, seconds_until_gone(self.fleet, slug, returned))

    def fault(self, name, begin, end, *, withdrawing=None):
        start = time.monotonic()
        begin()
        begun = time.monotonic()
        if withdrawing:
            time.sleep(1)
            self.withdraw(withdrawing)
        pause_until(begun + FAULT_SECONDS[name])
        end()
        ended = time.monotonic()
        self.faults.append((name, start, ended + AFTER_SECONDS))
        time.sleep(AFTER_SECONDS)
        return start, ended

    def run(self):
        fleet = self.fleet
        time.sleep(1)
        # (a) The database restarts, an article withdrawn just before; readers read the pages
        # of after the withdrawal for a second, from the app servers.
        self.withdraw(WITHDRAWN[0])
        time.sleep(1)
        stopped, started = self.fault(
            "database",
            lambda: fleet.pg_ctl("-m", "fast", "stop"),
            lambda: fleet.pg_ctl("-o", fleet.pg_options, "start"),
        )
        self.database_restart = (stopped, started)
        # (b) Redis stops, and starts again empty; an article is withdrawn meanwhile.
        self.fault("redis stop", fleet.redis.stop, fleet.redis.start, withdrawing=WITHDRAWN[1])
        # (c) Redis hangs, then answers again; an article is withdrawn meanwhile.
        self.fault("redis hang", fleet.redis.freeze, fleet.redis.thaw, withdrawing=WITHDRAWN[2])
        # Past the second purge of the last withdrawal (FRONT_CACHE_PURGE_AGAIN_SECONDS).
        pause_until(self.withdrawals[WITHDRAWN[2]][1] + 12)

    def recover(self):
        """Leave Redis and PostgreSQL running, whatever failed."""
        self.fleet.redis.thaw()
        if self.fleet.redis.process.poll() is not None:
            self.fleet.redis.start()
        with contextlib.suppress(subprocess.CalledProcessError):  # refused when running
            self.fleet.pg_ctl("-o", self.fleet.pg_options, "start")

    def verdict(self, answer):
        """What is wrong with `answer` ("" when nothing is)."""
        withdrawals = self.withdrawals
        late = [
            s
            for s in answer.shows
            if s in withdrawals and answer.at > withdrawals[s][1] + GONE_SECONDS
        ]
        if late:
            return f"shows {', '.join(late)}, withdrawn"
        slug = next((s for s in withdrawals if answer.page == f"/articles/{s}/"), None)
        if slug is None or answer.at < withdrawals[slug][0]:
            expected = {200}
        elif answer.at < withdrawals[slug][1] + GONE_SECONDS:
            expected = {200, 404}  # being withdrawn
        else:
            expected = {404}  # the database away or not
        if answer.status not in expected:
            return f"{answer.status or answer.cache}, not {' or '.join(map(str, expected))}"
        return ""

    def report(self, answers, seconds):
        lines = [f"{len(answers)} answers in {seconds:.0f} s"]
        for name, start, end in self.faults:
            inside = [answer for answer in answers if start <= answer.at < end]
            wrong = Counter(why for why in map(self.verdict, inside) if why)
            newsletter = [answer for answer in inside if "mc_eid" in answer.path]
            lines.append(
                f"{name}: {len(inside)} answers in {end - start:.1f} s "
                f"({len(newsletter)} to the newsletter reader, "
                f"{sum(a.cache == 'stale' for a in newsletter)} of them outage copies), "
                f"not as they must be: {dict(wrong) or 0}"
            )
        for slug, (_, _, gone) in self.withdrawals.items():
            lines.append(f"{slug}: 404 through Varnish {gone and round(gone, 2)} s after withdrawn")
        stopped = self.database_restart[0]
        wrong = [a for a in answers if self.verdict(a)]
        lines += [
            f"{a.path}: {self.verdict(a)} (from {a.cache}, back in a minute: {a.back_soon}), "
            f"asked {a.at - stopped:+.2f} s from the database stop"
            for a in wrong[:8]
        ]
        restarts = [line.strip() for line in self.fleet.output if "stopped" in line]
        return "\n".join(lines + [f"the fleet said: {line}" for line in restarts])


def test_readers_get_no_error_and_no_withdrawn_article_through_a_database_restart_a_redis_stop_and_a_redis_hang(  # noqa: E501
    fleet,
):
    warm(fleet)
    run, started = Run(fleet), time.monotonic()
    with Readers(fleet.port) as readers:
        try:
            run.run()
        finally:
            run.recover()
    answers = readers.answers
    report = run.report(answers, time.monotonic() - started)
    print(report)

    assert len(answers) > 1000, report
    assert all(any(s <= a.at < e for a in answers) for _, s, e in run.faults), report
    # Each withdrawn article was on the pages read before its withdrawal: the check sees it.
    for slug, (asked, *_) in run.withdrawals.items():
        assert any(slug in a.shows for a in answers if a.at < asked and a.page == "/"), slug
    wrong = Counter((answer.page, run.verdict(answer)) for answer in answers)
    wrong = {key: count for key, count in wrong.items() if key[1]}
    assert wrong == {}, f"{wrong}\n{report}"
    gone = [seconds for *_, seconds in run.withdrawals.values()]
    assert all(seconds is not None and seconds <= GONE_SECONDS for seconds in gone), report
