"""`make fleet`: on one machine, what a deployment on several servers is.

PostgreSQL (the local server, a database of the fleet's own), Redis, two app servers
(`python -m alsblog.serve`) sharing both, two background workers (email, purges: each started
again when it stops, as systemd does in production), and Varnish in front of the two app
servers, taking turns, with the VCL in deploy/varnish. The demo content is loaded and
the demo staff logins are printed. Ctrl+C stops everything it started.

Every address can be changed from the environment (docs/operators.md, "Several servers"):
FLEET_PORT (Varnish, 8080), FLEET_APP_PORTS ("8001,8002"), FLEET_DATABASE_URL
(postgres://postgres@127.0.0.1:5432/alsblog_fleet), FLEET_REDIS_URL
(redis://127.0.0.1:6379/2). The tests start it on free ports (tests/fleet/).
"""

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
VCL = ROOT / "deploy" / "varnish" / "alsblog.vcl"
READY = "The fleet is ready"


def say(text):
    print(text, flush=True)


def answers(url):
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname, parts.port), timeout=1):
            return True
    except OSError:
        return False


def configuration():
    port = int(os.environ.get("FLEET_PORT", "8080"))
    apps = [int(p) for p in os.environ.get("FLEET_APP_PORTS", "8001,8002").split(",")]
    database = os.environ.get(
        "FLEET_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/alsblog_fleet"
    )
    redis = os.environ.get("FLEET_REDIS_URL", "redis://127.0.0.1:6379/2")
    return port, apps, database, redis


def environment(port, database, redis, secret_key):
    """What every process of the fleet shares: the database, the cache, the secret key."""
    site = f"http://127.0.0.1:{port}"
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "alsblog.settings",
        "PYTHONPATH": str(ROOT),
        "SECRET_KEY": secret_key,
        "DATABASE_URL": database,
        "REDIS_URL": redis,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": site,
        # Plain HTTP on this machine; a real deployment has HTTPS in front (BEHIND_HTTPS_PROXY).
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "FRONT_CACHE": "varnish",
        "FRONT_CACHE_URLS": site,
        "MEDIA_ROOT": str(ROOT / "media-fleet"),
        "SERVE_MEDIA": "1",
        "EMAIL_BACKEND": "outbox.console.ReadableConsoleBackend",
        "WEB_CONCURRENCY": os.environ.get("WEB_CONCURRENCY", "1"),
    }


def create_database(url):
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username or "postgres",
        password=parts.password, dbname="postgres", autocommit=True,
    ) as admin:  # fmt: skip
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(f'CREATE DATABASE "{name}"')
            say(f"- created the PostgreSQL database {name}")


def manage(env, *arguments, quiet=True):
    subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT, env=env, check=True,
        stdout=subprocess.DEVNULL if quiet else None,
    )  # fmt: skip


def backends_vcl(apps):
    """The app servers Varnish takes turns between, as deploy/varnish/backends.vcl does."""
    lines = [
        "probe health {",
        '    .request = "GET /health/live/ HTTP/1.1" "Host: localhost" "Connection: close";',
        "    .interval = 1s; .timeout = 1s; .window = 3; .threshold = 2;",
        "}",
    ]
    for number, port in enumerate(apps, start=1):
        lines += [
            f"backend app{number} {{",
            f'    .host = "127.0.0.1"; .port = "{port}"; .probe = health;',
            "}",
        ]
    lines += ["sub vcl_init {", "    new app = directors.round_robin();"]
    lines += [f"    app.add_backend(app{number});" for number in range(1, len(apps) + 1)]
    lines += ["}"]
    return "\n".join(lines) + "\n"


def healthy(url):
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def main():
    port, apps, database, redis = configuration()
    varnishd = shutil.which("varnishd") or "/usr/sbin/varnishd"
    missing = [
        reason
        for reason, ok in (
            ("Varnish (sudo apt-get install varnish varnish-modules)", Path(varnishd).exists()),
            (f"PostgreSQL at {database}", answers(database)),
            (f"Redis at {redis}", answers(redis)),
        )
        if not ok
    ]
    if missing:
        say("make fleet needs: " + "; ".join(missing))
        return 1

    env = environment(port, database, redis, secrets.token_urlsafe(50))
    say("- preparing the database, the static files and the demo content")
    create_database(database)
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")
    manage(env, "load_demo", "--force", quiet=False)

    folder = Path(tempfile.mkdtemp(prefix="alsblog-fleet-"))
    (folder / "backends.vcl").write_text(backends_vcl(apps))
    processes = []

    commands = {}

    def launch(name):
        # Each in a session of its own, so that stopping it stops what it started too (an
        # app server's worker processes), and Ctrl+C reaches only this script, which stops
        # them in order.
        command, extra = commands[name]
        return subprocess.Popen(command, cwd=ROOT, env={**env, **extra}, start_new_session=True)

    def start(name, command, **extra):
        commands[name] = (command, extra)
        processes.append((name, launch(name)))

    for app_port in apps:
        start(f"app server on {app_port}", [sys.executable, "-m", "alsblog.serve"],
              BIND=f"127.0.0.1:{app_port}")  # fmt: skip
    # Two workers, as in production (docs/operators.md, "Workers"): purges never wait
    # behind a long run of email.
    for name, queue in (("email worker", "default"), ("purge worker", "purges")):
        start(name, [sys.executable, "manage.py", "db_worker", "--queue-name", queue,
                     "--interval", "0.2"])  # fmt: skip
    start("varnish", [
        varnishd, "-F", "-n", str(folder / "varnish"), "-a", f"127.0.0.1:{port}",
        "-f", str(VCL), "-p", f"vcl_path={folder}:{VCL.parent}", "-s", "malloc,128m",
        "-T", "127.0.0.1:0", *(["-j", "none"] if os.geteuid() == 0 else []),
    ])  # fmt: skip

    def stop(*_):
        for _name, process in reversed(processes):
            signal_group(process, signal.SIGTERM)
        for _name, process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                signal_group(process, signal.SIGKILL)
                process.wait()
        shutil.rmtree(folder, ignore_errors=True)

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGINT, signal.default_int_handler)  # Ctrl+C: KeyboardInterrupt
    try:
        site = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while not (
            all(healthy(f"http://127.0.0.1:{p}/health/") for p in apps) and healthy(f"{site}/")
        ):
            for name, process in processes:
                if process.poll() is not None:
                    say(f"The {name} stopped (exit code {process.returncode}).")
                    return 1
            if time.monotonic() > deadline:
                say("The fleet did not come up within a minute.")
                return 1
            time.sleep(0.5)
        say("")
        say(f"{READY}: readers at {site}/ (Varnish, taking turns between the app servers)")
        for app_port in apps:
            say(f"  app server      http://127.0.0.1:{app_port}/  (health: /health/)")
        say(f"  admin           {site}/admin/  (staff pass Varnish by their session cookie)")
        say("  email worker    sends email (printed here)")
        say("  purge worker    purges Varnish on each change")
        say("Stop everything with Ctrl+C.")
        gone = set()
        while True:
            for index, (name, process) in enumerate(processes):
                if process.poll() is None or name in gone:
                    continue
                if name.endswith("worker"):
                    # A worker exits when the database goes away (django-tasks' db_worker
                    # does not wait for it): started again, as systemd's Restart=always
                    # does in production (docs/operators.md, "Workers").
                    say(f"The {name} stopped (exit code {process.returncode}); starting it "
                        "again.")  # fmt: skip
                    processes[index] = (name, launch(name))
                    continue
                gone.add(name)
                servers_left = [n for n, p in processes if n.startswith("app server")
                                and p.poll() is None]  # fmt: skip
                if name.startswith("app server") and servers_left:
                    # As in production: Varnish's probe leaves it out, readers go to the others.
                    say(f"The {name} stopped (exit code {process.returncode}); readers go to "
                        f"the {len(servers_left)} left.")  # fmt: skip
                    continue
                say(f"The {name} stopped (exit code {process.returncode}): stopping the rest.")
                return 1
            time.sleep(1)
    except KeyboardInterrupt:
        say("\nStopping the fleet...")
        return 0
    finally:
        stop()


def signal_group(process, number):
    """Send `number` to `process` and everything it started (its session), even when
    `process` itself has ended before what it started."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, number)


if __name__ == "__main__":
    sys.exit(main())
