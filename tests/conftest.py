import contextlib
import importlib
import os
import shutil
import signal
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
WORKER_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@pytest.fixture(autouse=True)
def test_settings(settings, tmp_path):
    """Plain static storage (no collectstatic needed) and a fresh media folder per test."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SERVE_MEDIA = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Hashing stays real but quick: the default hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return settings


@pytest.fixture
def deliver(monkeypatch):
    """Run the background worker until the queue is empty: `manage.py db_worker --batch`.

    Between tasks the worker recycles database connections that are outside autocommit,
    which a test's own transaction always is: that step alone is left out here.
    """
    from django.core.management import call_command
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run():
        # The worker takes over SIGINT and SIGTERM (to finish its task first); the test
        # process gets its own handlers back, so stopping the test run still stops it.
        handlers = {sig: signal.getsignal(sig) for sig in WORKER_SIGNALS}
        try:
            call_command(
                "db_worker",
                queue_name="*",  # email on "default", purges on "purges" (settings.TASKS)
                batch=True,
                startup_delay=False,
                reload=False,
                verbosity=0,
            )
        finally:
            for sig, handler in handlers.items():
                signal.signal(sig, handler)

    return run


@pytest.fixture
def clock(monkeypatch):
    """The time as the site sees it, which the test moves on: `clock.advance(minutes=10)`."""
    from datetime import timedelta

    from django.utils import timezone

    from core import clock as database_clock

    real_now = timezone.now

    class Clock:
        offset = timedelta()

        def __call__(self):
            return real_now() + self.offset

        def advance(self, **delta):
            self.offset += timedelta(**delta)
            # The database's clock, which decides what is public, moves on with it.
            monkeypatch.setattr(database_clock, "OFFSET", self.offset)

    clock = Clock()
    monkeypatch.setattr(timezone, "now", clock)
    return clock


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on 127.0.0.1 that Django's SMTP backend sends to."""
    from tests.mailserver import MailServer

    server = MailServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield server
    server.stop()


@pytest.fixture
def no_flood_wait(settings):
    """No wait between comments: test clients and browsers all share one address and email."""
    settings.COMMENTS_FLOOD_SECONDS = 0


@pytest.fixture(autouse=True)
def database_answering():
    """What a process remembers of the database (the last public version, a failure a moment
    ago) ends with the test."""
    from pagecache import serving

    def forget():
        serving._last_read.update(state=None, at=0.0)
        serving._database_down_until[0] = 0.0

    forget()
    yield
    forget()


@pytest.fixture(autouse=True)
def comments_not_paused():
    """A pause for new comments (past the site-wide ceiling) ends with the test, and the
    warning of a post turned away for its wait is logged afresh in each."""
    from comments import posting

    posting._paused_until[0] = 0.0
    posting._warned_at[0] = -60.0  # the next post turned away for its wait is logged
    yield
    posting._paused_until[0] = 0.0


@pytest.fixture(autouse=True)
def fresh_cache():
    from django.core.cache import cache

    from pagecache import newest

    def clear():
        # A test may point the cache at a server that is down.
        with contextlib.suppress(Exception):
            cache.clear()
        # The newest public version noted by an earlier test is not this test's database's.
        newest.forget_everywhere()

    clear()
    yield
    clear()


@pytest.fixture
def reference_data(transactional_db):
    """Seed what the data migrations seed: a transactional test empties every table after it.

    (Serialized rollback cannot restore them in browser tests: Playwright's event loop gives
    the test thread a fresh database connection that lacks the snapshot.)
    """
    from django.apps import apps

    seeds = {
        "articles.migrations.0002_categories_and_groups": "create_categories_and_groups",
        "comments.migrations.0002_moderation_groups": "grant_comment_permissions",
        "articles.migrations.0005_editors_unlock_logins": "let_editors_unlock",
        "outbox.migrations.0002_staff_see_the_outbox": "let_staff_see_the_outbox",
        "subscriptions.migrations.0002_lists_and_staff": "create_lists_and_grant",
        "articles.migrations.0010_staff_list_sources": "let_staff_list_sources",
        "pages.migrations.0002_seed_details_and_pages": "seed",
    }
    for module, function in seeds.items():
        getattr(importlib.import_module(module), function)(apps, None)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        message = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)  # CI must run the browser tests, never skip them
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    """A browser tab on the live server; the test fails on any script error or CSP refusal."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    problems = []

    def watch(tab):
        tab.on("pageerror", lambda error: problems.append(f"script error: {error}"))
        tab.on(
            "console",
            lambda message: (
                problems.append(f"console: {message.text}")
                if message.type == "error" and "Content Security Policy" in message.text
                else None
            ),
        )

    context.on("page", watch)
    tab = context.new_page()
    yield tab
    context.close()
    assert not problems, "\n".join(problems)


@pytest.fixture
def screenshot():
    """Save a full-page screenshot under test-artifacts/ (which git ignores)."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name):
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=path, full_page=True)
        return path

    return take


@pytest.fixture
def moderation_lists(django_db_blocker):
    """The seeded reasons and flag lists, for tests whose database was flushed since
    migrating (those with transaction=True that run after another)."""
    from django.apps import apps

    for module in ("0005_seed_reasons_and_flags", "0007_flag_help_for_the_writer"):
        importlib.import_module(f"comments.migrations.{module}").seed(apps, None)
