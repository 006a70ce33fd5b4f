"""`make fleet` for real: two app servers, a worker and Varnish on PostgreSQL and Redis.

A reader posts a comment through Varnish; a moderator approves it on one app server; the
worker purges Varnish, and the next reader sees it through Varnish within a second, whichever
app server Varnish asks. Runs in the PostgreSQL run of the suite (CI), where the fleet's own
database can be made beside the tests'.
"""

import http.cookiejar
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from tests.fleet.running import running_fleet
from tests.pgserver import free_port

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.fleet


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def opener(*handlers):
    return urllib.request.build_opener(NoRedirect, *handlers)


def fetch(url, data=None, headers=None, using=None):
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with (using or opener()).open(request, timeout=10) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


@pytest.fixture(scope="module")
def fleet():
    if connection.vendor != "postgresql":
        pytest.skip("runs in the PostgreSQL run of the suite (DATABASE_URL set, as in CI)")
    import psycopg

    if not shutil.which("varnishd") and not Path("/usr/sbin/varnishd").exists():
        if os.environ.get("CI"):
            pytest.fail("varnishd is missing: .ci/ensure-varnish installs it")
        pytest.skip("needs Varnish: sudo apt-get install varnish varnish-modules")
    database = connection.settings_dict
    name = f"alsblog_fleet_test_{os.getpid()}"
    url = (
        f"postgres://{database['USER'] or 'postgres'}@{database['HOST'] or '127.0.0.1'}:"
        f"{database['PORT'] or 5432}/{name}"
    )
    port, apps = free_port(), [free_port(), free_port()]
    try:
        with running_fleet(port, apps, url, "redis://127.0.0.1:6379/13") as lines:
            yield {"site": f"http://127.0.0.1:{port}", "apps": apps, "url": url, "output": lines}
    finally:
        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def fleet_shell(fleet, code):
    env = {
        **os.environ, "DJANGO_SETTINGS_MODULE": "alsblog.settings", "DATABASE_URL": fleet["url"],
        "DEBUG": "1",
    }  # fmt: skip
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v0", "-c", code],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return done.stdout.strip()


def test_the_fleet_prints_its_addresses_and_the_demo_logins(fleet):
    output = "".join(fleet["output"])
    assert f"readers at {fleet['site']}/" in output
    assert "moderator  password: demo-moderator-2026" in output
    for port in fleet["apps"]:
        assert fetch(f"http://127.0.0.1:{port}/health/")[0] == 200


def test_an_approval_on_one_server_is_seen_through_varnish_within_a_second(fleet):
    site, first_app = fleet["site"], f"http://127.0.0.1:{fleet['apps'][0]}"
    slug = fleet_shell(
        fleet, "from articles.models import Article; print(Article.objects.published()[0].slug)"
    )
    article = f"{site}/articles/{slug}/"
    fetch(article)
    status, headers, page = fetch(article)
    assert status == 200 and headers["X-Front-Cache"] == "hit"

    # A reader posts through Varnish (a POST always reaches an app server).
    stamp = re.search(r'name="timestamp" value="([^"]+)"', page).group(1)
    words = f"Fleet question {time.time_ns()}: is the trial still recruiting?"
    form = {"name": "Ana", "email": "ana@example.com", "body": words, "timestamp": stamp,
            "website": "", "parent": ""}  # fmt: skip
    status, headers, _ = fetch(
        article + "comments/", urllib.parse.urlencode(form).encode(),
        {"Sec-Fetch-Site": "same-origin"},
    )  # fmt: skip
    assert status == 302, headers
    comment_id = re.search(r"/comments/(\d+)/", headers["Location"]).group(1)
    assert words not in fetch(article)[2]  # nobody else sees it while it waits

    # A moderator approves it on the first app server, through the admin.
    jar = http.cookiejar.CookieJar()
    staff = opener(urllib.request.HTTPCookieProcessor(jar))
    login = fetch(f"{first_app}/admin/login/", using=staff)[2]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login).group(1)
    credentials = {"username": "moderator", "password": "demo-moderator-2026",
                   "csrfmiddlewaretoken": token, "next": "/admin/"}  # fmt: skip
    assert fetch(f"{first_app}/admin/login/", urllib.parse.urlencode(credentials).encode(),
                 {"Referer": f"{first_app}/admin/login/"}, using=staff)[0] == 302  # fmt: skip
    changelist = f"{first_app}/admin/comments/comment/"
    listing = fetch(changelist, using=staff)[2]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', listing).group(1)
    action = {"action": "approve_selected", "_selected_action": comment_id, "index": "0",
              "csrfmiddlewaretoken": token}  # fmt: skip
    status, _, _ = fetch(changelist, urllib.parse.urlencode(action).encode(),
                         {"Referer": changelist}, using=staff)  # fmt: skip
    assert status == 302
    approved = time.monotonic()

    # Every reader sees it through Varnish within a second, whichever app server answers.
    seen = None
    while time.monotonic() - approved < 5:
        if words in fetch(article)[2]:
            seen = time.monotonic() - approved
            break
        time.sleep(0.05)
    assert seen is not None and seen < 1.0, seen
    for _ in range(4):
        assert words in fetch(article)[2]
