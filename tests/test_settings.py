"""The settings module reads the environment and is safe to deploy."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "SECRET_KEY": "x" * 60 + "-production-like-secret-key-for-the-check",
    "ALLOWED_HOSTS": "news.example.org",
    "DATABASE_URL": "sqlite:///:memory:",
}


def run(args, **env):
    base = {key: value for key, value in os.environ.items() if key in ("PATH", "HOME", "LANG")}
    base["DJANGO_SETTINGS_MODULE"] = "alsblog.settings"
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env={**base, **env}, capture_output=True, text=True
    )


def test_without_debug_a_missing_secret_key_stops_with_a_message_naming_it():
    result = run(["manage.py", "check"])
    assert result.returncode != 0
    assert "SECRET_KEY environment variable is not set" in result.stderr


def test_debug_runs_without_a_secret_key():
    result = run(["manage.py", "check"], DEBUG="1")
    assert result.returncode == 0, result.stderr


def test_the_deploy_check_passes_without_a_warning_in_production():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_sqlite_runs_in_wal_mode_with_immediate_transactions(tmp_path):
    script = (
        "import django; django.setup(); from django.db import connection;"
        "cursor = connection.cursor();"
        "print(cursor.execute('PRAGMA journal_mode').fetchone()[0]);"
        "print(connection.settings_dict['OPTIONS']['transaction_mode'])"
    )
    result = run(
        ["-c", script],
        DEBUG="1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'blog.sqlite3'}",
    )
    assert result.stdout.split() == ["wal", "IMMEDIATE"], result.stderr


@pytest.mark.parametrize("value, expected", [("1", "True"), ("", "False"), ("off", "False")])
def test_debug_is_off_unless_set(value, expected):
    result = run(
        [
            "-c",
            "import django; django.setup(); from django.conf import settings;print(settings.DEBUG)",
        ],  # fmt: skip
        DEBUG=value,
        SECRET_KEY="k" * 50,
    )
    assert result.stdout.strip() == expected, result.stderr


@pytest.mark.parametrize(("front_cache", "posting"), [("", "1"), ("varnish", "2")])
def test_posting_keeps_a_thread_for_readers_unless_a_front_cache_serves_them(front_cache, posting):
    result = run(
        [
            "-c",
            "import django; django.setup(); from django.conf import settings;"
            "print(settings.COMMENTS_POSTING_THREADS)",
        ],  # fmt: skip
        DEBUG="1",
        WEB_THREADS="2",
        FRONT_CACHE=front_cache,
    )
    assert result.stdout.strip() == posting


def test_redis_becomes_the_cache_when_redis_url_is_set():
    result = run(
        [
            "-c",
            "import django; django.setup(); from django.conf import settings;"
            "print(settings.CACHES['default']['BACKEND'])",
        ],  # fmt: skip
        DEBUG="1",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    assert result.stdout.strip() == "core.redis_cache.BackingOffRedisCache"


def test_a_postgresql_database_that_hangs_fails_within_seconds():
    script = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DATABASES['default']['OPTIONS']['connect_timeout'])"
    )
    result = run(["-c", script], **{**PRODUCTION, "DATABASE_URL": "postgres://u@db.invalid/x"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "3"


def test_make_run_prints_email_readably():
    result = run(
        [
            "-c",
            "import django; django.setup(); from django.conf import settings;"
            "print(settings.EMAIL_BACKEND)",
        ],  # fmt: skip
        DEBUG="1",
    )
    assert result.stdout.strip() == "outbox.console.ReadableConsoleBackend", result.stderr
