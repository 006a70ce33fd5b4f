"""`make bench`: how fast alsblog serves its pages, against the limit of the same server.

For SQLite, and for PostgreSQL when one answers on 127.0.0.1:5432, it
1. builds a data set and starts the production server (granian, alsblog/serve.py) on 127.0.0.1;
2. drives the article page (50 comments), the home page and the RSS feed with wrk at 16
   connections, and the "limit": the same server answering the same bytes from a view
   that touches no database;
3. posts comments from 16 and 64 concurrent clients for 20 s and counts them in the database;
4. queues the weekly digest for 10,000 confirmed subscribers, and times one worker
   delivering it into an SMTP sink on 127.0.0.1;
5. times the home page, an article page and the moderation queue, uncached, with 10
   articles and with 10,000 articles and 200,000 comments (100,000 pending).
It prints the tables and writes them to bench/results.md (and docs/developers.md, "Performance"
section). `--smoke` is a few-second version for CI; `--tune` compares gunicorn settings.
"""

import argparse
import contextlib
import gzip
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from datetime import date
from pathlib import Path

import frontcache  # bench/frontcache.py, beside this file

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
DATA = ROOT / "bench" / "data"
PYTHON = sys.executable
PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"


def free_port():
    """A port nothing listens on now: two benchmarks at once must not answer each other."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


PORT = free_port()
PAGES = {"article": None, "home": "/", "rss": "/feed/rss/"}  # the article's URL comes later


def log(message):
    print(message, file=sys.stderr, flush=True)


def production_env(database_url, **extra):
    env = {
        key: value
        for key, value in os.environ.items()
        if key in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        SECRET_KEY="benchmark-only-secret-key-" + "x" * 40,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=database_url,
        MEDIA_ROOT=str(DATA / "media"),
        SECURE_SSL_REDIRECT="0",  # plain HTTP on the loopback; TLS is the proxy's job
        SECURE_COOKIES="0",
        TRUSTED_PROXY_COUNT="1",  # wrk gives each simulated reader its own address
        COMMENTS_MAX_PER_MINUTE="0",  # none: the posting runs measure the rate itself
        PYTHONPATH=str(ROOT),
    )
    env.update(extra)
    return env


def run(args, env, **kwargs):
    return subprocess.run(args, cwd=ROOT, env=env, check=True, text=True, **kwargs)


# Databases ---------------------------------------------------------------------------------


def postgres_available():
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


def fresh_database(kind, name):
    """Return the URL of a new, empty database called `name`."""
    if kind == "sqlite":
        DATA.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{DATA / name}.sqlite3{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{DATA / name}.sqlite3"
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return f"postgres://postgres@127.0.0.1:5432/{name}"


def drop_database(kind, name):
    if kind == "postgresql":
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def build(kind, name, size):
    url = fresh_database(kind, name)
    env = production_env(url)
    log(f"- building the {size} data set in {kind} ({name})")
    run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
    output = run([PYTHON, "-m", "bench.dataset", size], env, stdout=subprocess.PIPE).stdout
    return url, json.loads(output.strip().splitlines()[-1])


# The server --------------------------------------------------------------------------------


class Server:
    """The production server on PORT: granian as alsblog/serve.py runs it, or gunicorn as
    gunicorn.conf.py configures it (`kind="gunicorn"`)."""

    def __init__(
        self, database_url, workers=None, threads=None, kind="granian", cpus=None, **extra
    ):
        self.env = production_env(database_url, BIND=f"127.0.0.1:{PORT}", **extra)
        self.cpus = cpus  # the processors it may run on ("1"), or any
        if workers:
            self.env["WEB_CONCURRENCY"] = str(workers)
        if threads:  # also sets comment posting's share of them
            self.env["WEB_THREADS" if kind == "granian" else "GUNICORN_THREADS"] = str(threads)
        self.kind = kind
        self.log_path = OUT / "server.log"

    def command(self):
        pinned = frontcache.on_processors(self.cpus)
        if self.kind == "granian":
            return [*pinned, PYTHON, "-m", "alsblog.serve"]
        return [*pinned, PYTHON, "-m", "gunicorn", "alsblog.wsgi"]

    def __enter__(self):
        self.log_file = open(self.log_path, "a")  # noqa: SIM115 (closed in __exit__)
        self.process = subprocess.Popen(
            self.command(),
            cwd=ROOT,
            env=self.env,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/robots.txt", timeout=2)
                return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"{self.kind} did not start; see {self.log_path}")

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log_file.close()


def url(path):
    return f"http://127.0.0.1:{PORT}{path}"


def fetch(path, headers=None, opener=None):
    request = urllib.request.Request(url(path), headers=headers or {})
    with (opener or urllib.request.build_opener()).open(request, timeout=30) as response:
        return response.headers, response.read()


# Measuring ---------------------------------------------------------------------------------


def ensure_wrk():
    if shutil.which("wrk"):
        return
    log("- installing wrk from Debian's packages")
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)


def to_ms(text):
    number, unit = float(re.match(r"[\d.]+", text).group()), re.sub(r"[\d.]", "", text)
    return number * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[unit]


def wrk(
    path, *, connections, seconds, headers=(), script=None, script_args=(), env=None, nice=0,
    base=None, cpus=None,
):  # fmt: skip
    command = wrk_command(
        path, connections, seconds, headers, script, script_args, nice, base, cpus
    )
    environment = {**os.environ, **(env or {})}
    output = subprocess.run(
        command, check=True, capture_output=True, text=True, env=environment
    ).stdout
    return wrk_result(output)


def wrk_command(
    path, connections, seconds, headers=(), script=None, script_args=(), nice=0, base=None,
    cpus=None,
):  # fmt: skip
    threads = min(2, connections)
    args = [
        *frontcache.on_processors(cpus),
        "nice",
        "-n",
        str(nice),
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
    ]
    args += ["--timeout", "10s"]
    for header in headers:
        args += ["-H", header]
    if script:
        args += ["-s", str(script)]
    args.append(f"{base}{path}" if base else url(path))
    if script_args:
        args += ["--", *script_args]
    return args


def wrk_result(output):
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    result = {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": to_ms(re.search(r"\s50%\s+(\S+)", output).group(1)),
        "p99": to_ms(re.search(r"\s99%\s+(\S+)", output).group(1)),
        "non_2xx_3xx": int((re.search(r"Non-2xx or 3xx responses: (\d+)", output) or [0, 0])[1]),
        # Socket errors, and answers that came after wrk's --timeout (wrk counts a timeout
        # only when the answer comes; both are left out of the percentiles).
        "errors": sum(map(int, (socket_errors.groups() if socket_errors else ()))),
    }
    posted = re.search(
        r"RESULT accepted=(\d+) refused=(\d+) busy=(\d+) failed=(\d+) errors=(\d+)", output
    )
    if posted:
        names = ("accepted", "refused", "busy", "failed", "errors")
        result.update(zip(names, map(int, posted.groups()), strict=True))
    return result


def capture_limit_pages(paths):
    """Save the real pages' bytes for the limit view to answer with."""
    limit_dir = OUT / "limit"
    limit_dir.mkdir(parents=True, exist_ok=True)
    for name, path in paths.items():
        headers, body = fetch(path)
        (limit_dir / f"{name}.bin").write_bytes(headers["Content-Type"].encode() + b"\n" + body)


def page_weight(path):
    """Bytes a first visit to `path` transfers, compressed: the HTML plus its CSS and JS."""
    _, html = fetch(path)
    total = len(gzip.compress(html, 6))  # the reverse proxy compresses HTML
    assets = re.findall(rb'<link rel="stylesheet" href="([^"]+)"|<script src="([^"]+)"', html)
    for stylesheet, script in assets:
        asset = (stylesheet or script).decode()
        headers, body = fetch(asset, {"Accept-Encoding": "gzip"})
        compressed = headers.get("Content-Encoding") == "gzip"
        total += len(body) if compressed else len(gzip.compress(body))
    return total


def count_queries(database_url, paths, session):
    env = production_env(database_url, ALLOWED_HOSTS="127.0.0.1,testserver")
    output = run(
        [PYTHON, "-m", "bench.queries", json.dumps(paths), session], env, stdout=subprocess.PIPE
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def comment_count(database_url):
    env = production_env(database_url)
    script = (
        "import django; django.setup(); from comments.models import Comment;"
        "print(Comment.objects.filter(body__startswith='Benchmark comment').count())"
    )
    return int(run([PYTHON, "-c", script], env, stdout=subprocess.PIPE).stdout.strip())


def missing_comments(database_url, ids_file):
    """How many of the comments answered as accepted are not in the database."""
    env = production_env(database_url, BENCH_ACCEPTED_IDS=str(ids_file))
    script = (
        "import django, os; django.setup(); from comments.models import Comment;"
        "ids = {int(i) for i in open(os.environ['BENCH_ACCEPTED_IDS']).read().split()};"
        "found = set(Comment.objects.filter(pk__in=ids, body__startswith='Benchmark comment')"
        ".values_list('pk', flat=True)); print(len(ids), len(ids - found))"
    )
    output = run([PYTHON, "-c", script], env, stdout=subprocess.PIPE).stdout.split()
    return int(output[0]), int(output[1])


def post_credentials(slug, run_number):
    """The form's signed timestamp, as a browser would get it with the page (the form carries
    no per-visitor token: pages are shared, and a cross-site POST is refused by its headers)."""
    _, html = fetch(f"/articles/{slug}/")
    stamp = re.search(r'name="timestamp" value="([^"]+)"', html.decode()).group(1)
    time.sleep(3.2)  # a person takes longer than three seconds to write a comment
    return [urllib.parse.quote(stamp), slug, str(run_number)]


# The runs ----------------------------------------------------------------------------------


def bench_backend(kind, options):
    label = "SQLite" if kind == "sqlite" else "PostgreSQL"
    log(f"\n== {label} ==")
    size = "smoke" if options.smoke else "small"
    database_url, info = build(kind, f"alsblog_bench_{size}", size)
    paths = {**PAGES, "article": info["article"]}
    slug = info["article"].strip("/").split("/")[-1]
    seconds = 2 if options.smoke else options.seconds
    if options.smoke:
        options.rounds = 1
    result = {"label": label, "pages": {}, "posts": [], "growth": {}}

    with Server(database_url):
        for path in paths.values():
            fetch(path)  # fill the cache: the benchmark measures the steady state
        capture_limit_pages(paths)
        for name, path in paths.items():
            log(f"- {name}: {path}")
            result["pages"][name] = compare_with_limit(name, path, seconds, options.rounds)
        result["weight"] = page_weight(paths["article"])
        if frontcache.varnishd():
            log("- the article page through Varnish, against nginx serving it as a file")
            result["front"] = bench_front_cache(
                database_url, paths["article"], seconds, options.rounds,
                changes=5 if options.smoke else frontcache.CHANGES,
            )  # fmt: skip
        else:
            log("- no varnishd here: the front cache is not measured")
        if not options.smoke:
            log("- timing uncached pages with 10 articles")
            result["growth"]["small"] = time_uncached(paths, info["session"])
    counts = count_queries(database_url, {**paths, "queue": "/admin/comments/comment/"},
                           info["session"])  # fmt: skip
    for name, page in result["pages"].items():
        page["queries"] = counts[name]
    result["post_queries"] = counts["post"]

    clients = [8] if options.smoke else [16, 64]
    post_seconds = 3 if options.smoke else 20
    for run_number, connections in enumerate(clients):
        with Server(database_url) as server:
            credentials = post_credentials(slug, run_number)
            before = comment_count(database_url)
            log(f"- posting comments from {connections} clients for {post_seconds} s")
            ids_file = OUT / f"accepted-{run_number}.txt"
            posted = wrk(
                f"/articles/{slug}/comments/",
                connections=connections,
                seconds=post_seconds,
                script=ROOT / "bench" / "post.lua",
                script_args=credentials,
                env={"BENCH_ACCEPTED_IDS": str(ids_file)},
            )
            server_log = server.log_path.read_text()
        stored = comment_count(database_url) - before
        # Every comment answered as accepted, by the id in its redirect, looked up one by one.
        checked, lost = missing_comments(database_url, ids_file)
        posted.update(
            clients=connections,
            seconds=post_seconds,
            stored=stored,
            lost=lost + (posted["accepted"] - checked),  # an accepted post without an id too
            locked=server_log.count("database is locked"),
        )
        server.log_path.write_text("")
        result["posts"].append(posted)

    result["floods"] = []
    fronts = [False, True] if frontcache.varnishd() else [False]
    for front in fronts:  # readers of the app server itself, then through Varnish
        for ceiling in (60, 0):  # the default, and none: every post is taken
            through = " through Varnish" if front else ""
            log(f"- the article page{through}, idle and while 64 clients post "
                f"(ceiling {ceiling or 'none'}/min)")  # fmt: skip
            flood = readers_during_flood(
                database_url, paths["article"], slug, seconds=3 if options.smoke else 10,
                ceiling=ceiling, front=front,
            )  # fmt: skip
            result["floods"].append({**flood, "ceiling": ceiling, "front": front})

    result["mail"] = bench_mail(database_url, 200 if options.smoke else 10_000)

    if not options.smoke:
        large_url, large_info = build(kind, "alsblog_bench_large", "large")
        large_paths = {**PAGES, "article": large_info["article"]}
        with Server(large_url):
            log("- timing uncached pages with 10,000 articles and 200,000 comments")
            result["growth"]["large"] = time_uncached(large_paths, large_info["session"])
        drop_database(kind, "alsblog_bench_large")
    drop_database(kind, f"alsblog_bench_{size}")
    return result


def bench_front_cache(database_url, article, seconds, rounds, *, changes):
    """The article through Varnish, against nginx serving the same bytes as a file, in
    alternating rounds; then how long a change takes to show through Varnish."""
    front_port, nginx_port = free_port(), free_port()
    with frontcache.varnish_in_front_of(PORT, front_port) as front:
        headers, body = fetch(article)
        urllib.request.urlopen(front + article, timeout=10).read()  # in the front cache
        served, ceiling = [], []
        limit = (
            frontcache.nginx_serving(body, headers["Content-Type"], nginx_port)
            if frontcache.nginx()
            else contextlib.nullcontext()
        )
        with limit as nginx_url:
            for _ in range(rounds):
                served.append(wrk(article, connections=16, seconds=seconds, base=front))
                if nginx_url:
                    ceiling.append(wrk("/", connections=16, seconds=seconds, base=nginx_url))
        purges = frontcache.purge_delays(production_env(database_url), front, article, changes)

    def median(runs, key):
        return statistics.median(run[key] for run in runs) if runs else None

    result = {key: median(served, key) for key in ("rps", "p50", "p99")}
    result["errors"] = sum(run["non_2xx_3xx"] for run in served)
    result["nginx_rps"] = median(ceiling, "rps")
    result["nginx_p99"] = median(ceiling, "p99")
    delays = purges["delays"]
    result["purge"] = {
        "changes": purges["changes"], "never": purges["never"],
        "p50": statistics.median(delays) * 1000 if delays else None,
        "p99": delays[min(len(delays) - 1, int(len(delays) * 0.99))] * 1000 if delays else None,
        "max": delays[-1] * 1000 if delays else None,
    }  # fmt: skip
    return result


def readers_during_flood(database_url, article, slug, *, seconds, ceiling, front=False):
    """The cached article page's p99 at 16 connections, idle, then while 64 clients post
    comments as fast as they can (each a new reader, as in the posting runs), with the
    site-wide ceiling of comments a minute at `ceiling`. With `front`, readers and posts go
    through Varnish (deploy/varnish/alsblog.vcl), as in production behind a front cache.

    The clients stand in for readers and writers on other machines: on two processors or
    more, the servers (Varnish, the app server) run on one processor and the clients on
    another, so that neither takes the other's time; the flood's generator runs at a
    lower priority (nice 10) than the readers' client, which measures.
    """
    processors = sorted(os.sched_getaffinity(0))
    server_cpus, client_cpus = (
        (str(processors[1]), str(processors[0])) if len(processors) >= 2 else (None, None)
    )
    with contextlib.ExitStack() as stack:
        settings = {"COMMENTS_MAX_PER_MINUTE": str(ceiling)}
        if front:
            varnish_port = free_port()
            # As in production behind Varnish: every thread may post (alsblog/settings.py),
            # and changes are purged (queued here: no worker runs). Varnish adds the
            # address it saw to X-Forwarded-For: one more proxy to trust, so that each post
            # keeps the address wrk gave it.
            settings.update(
                FRONT_CACHE="varnish",
                FRONT_CACHE_URLS=f"http://127.0.0.1:{varnish_port}",
                TRUSTED_PROXY_COUNT="2",
            )
        stack.enter_context(Server(database_url, cpus=server_cpus, **settings))
        base = None
        if front:
            front_cache = frontcache.varnish_in_front_of(PORT, varnish_port, cpus=server_cpus)
            base = stack.enter_context(front_cache)
        return _flood(article, slug, seconds=seconds, base=base, cpus=client_cpus)


def _flood(article, slug, *, seconds, base, cpus):
    """readers_during_flood's measurement, against the app server or `base`, its clients on
    the processors `cpus`."""
    fetch(article)
    if base:
        urllib.request.urlopen(base + article, timeout=10).read()  # in the front cache
    wrk(article, connections=16, seconds=1, base=base, cpus=cpus)  # warm up
    idle = wrk(article, connections=16, seconds=seconds, base=base, cpus=cpus)
    credentials = post_credentials(slug, 7)
    flood = subprocess.Popen(
        wrk_command(
            f"/articles/{slug}/comments/",
            64,
            seconds + 2,
            script=ROOT / "bench" / "post.lua",
            script_args=credentials,
            nice=10,
            base=base,
            cpus=cpus,
        ),
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "BENCH_ACCEPTED_IDS": str(OUT / "accepted-flood.txt")},
    )
    time.sleep(1)  # the flood is under way
    during = wrk(article, connections=16, seconds=seconds, base=base, cpus=cpus)
    posted = wrk_result(flood.communicate()[0])
    return {"idle": idle, "during": during, "posted": posted, "seconds": seconds + 2}


def bench_restart():
    """5xx answers while a PostgreSQL server of the benchmark's own restarts under load."""
    sys.path.insert(0, str(ROOT))
    from tests.pgserver import BINARIES, own_postgres, restart_under_load

    if not BINARIES:
        log("- no PostgreSQL server programs (initdb, pg_ctl): the restart run is skipped")
        return None
    log("- restarting a PostgreSQL server of our own under 16 readers")
    with own_postgres() as (database_url, pg_ctl, options):
        readers, searches, _ = restart_under_load(database_url, pg_ctl, options)
    return {
        "readers": len(readers),
        "reader_5xx": sum(1 for status, _ in readers if status and status >= 500),
        "reader_errors": sum(1 for status, _ in readers if status is None),
        "stale": sum(1 for _, cache in readers if cache == "stale"),
        "searches": len(searches),
        "search_503": sum(1 for status, _ in searches if status == 503),
        "search_500": sum(
            1 for status, _ in searches if status and status >= 500 and status != 503
        ),
    }


def bench_mail(database_url, subscribers):
    """Queue the digest for `subscribers` and time one worker delivering it to a sink."""
    from aiosmtpd.controller import Controller

    class Sink:
        received = 0

        async def handle_DATA(self, server, session, envelope):
            Sink.received += 1
            return "250 OK"

    env = production_env(database_url)
    worker = [PYTHON, "manage.py", "db_worker", "--batch", "--no-startup-delay", "-v0"]
    run(worker, env)  # the comment posts' own tasks first: they are not what is measured
    run([PYTHON, "-m", "bench.mail", "subscribers", str(subscribers)], env, stdout=subprocess.PIPE)
    log(f"- queuing the weekly digest for {subscribers:,} subscribers")
    output = run([PYTHON, "-m", "bench.mail", "digest"], env, stdout=subprocess.PIPE).stdout
    queued = json.loads(output.strip().splitlines()[-1])
    sink_port = free_port()
    sink = Controller(Sink(), hostname="127.0.0.1", port=sink_port)
    sink.start()
    try:
        log("- one worker delivering it into an SMTP sink")
        worker_env = production_env(database_url, EMAIL_HOST="127.0.0.1", EMAIL_PORT=str(sink_port))
        started = time.perf_counter()
        run(worker, worker_env)
        seconds = time.perf_counter() - started
    finally:
        sink.stop()
    output = run([PYTHON, "-m", "bench.mail", "sent"], env, stdout=subprocess.PIPE).stdout
    sent = json.loads(output.strip().splitlines()[-1])["sent"]
    return {
        "subscribers": subscribers,
        "queue_seconds": queued["seconds"],
        "queued": queued["queued"],
        "deliver_seconds": seconds,
        "sent": sent,
        "received": Sink.received,
    }


def compare_with_limit(name, path, seconds, rounds):
    """Measure `path` and its limit in alternating rounds; keep the median of each.

    On a shared machine the speed drifts from second to second: alternating short rounds
    exposes the page and its limit to the same drift, and the medians drop the outliers.
    """
    pages, limits = [], []
    for _ in range(rounds):
        pages.append(wrk(path, connections=16, seconds=seconds))
        limits.append(wrk(f"/bench-limit/{name}/", connections=16, seconds=seconds))

    def median(runs, key):
        return statistics.median(run[key] for run in runs)

    page = {key: median(pages, key) for key in ("rps", "p50", "p99")}
    page["limit_rps"] = median(limits, "rps")
    page["limit_p99_over_p50"] = median(limits, "p99") / median(limits, "p50")
    page["ratio"] = page["rps"] / page["limit_rps"]
    page["errors"] = sum(run["non_2xx_3xx"] for run in pages)
    return page


def time_uncached(paths, session):
    """Median time of each page rendered afresh (an unknown parameter skips the cache)."""
    targets = {
        "home": (paths["home"] + "?uncached=1", []),
        "article": (paths["article"] + "?uncached=1", []),
        "queue": ("/admin/comments/comment/", [f"Cookie: sessionid={session}"]),
    }
    timings = {}
    for name, (path, headers) in targets.items():
        wrk(path, connections=1, seconds=1, headers=headers)  # warm up
        timings[name] = wrk(path, connections=1, seconds=4, headers=headers)["p50"]
    return timings


def tune(options):
    """Compare servers (gunicorn, granian) and their worker and thread counts on the cached
    article page and the home page.

    Each setting is measured in several passes, interleaved with the others so that the
    machine's drift touches them all alike; the table shows each setting's medians.
    """
    database_url, info = build("sqlite", "alsblog_bench_tune", "small")
    settings = [("gunicorn", 2, 2), ("gunicorn", 2, 4), ("gunicorn", 3, 2)]
    settings += [("granian", 2, 1), ("granian", 2, 2), ("granian", 2, 4)]
    runs = {setting: {"article": [], "home": []} for setting in settings}
    for _ in range(options.rounds):
        for kind, workers, threads in settings:
            with Server(database_url, workers=workers, threads=threads, kind=kind):
                for name, path in (("article", info["article"]), ("home", "/")):
                    fetch(path)
                    wrk(path, connections=16, seconds=1)  # warm up
                    measured = wrk(path, connections=16, seconds=options.seconds)
                    runs[(kind, workers, threads)][name].append(measured)
    print(
        "| server | workers | threads | page | req/s | p50 ms | p99 ms |\n"
        "| --- | ---: | ---: | --- | ---: | ---: | ---: |"
    )
    for (kind, workers, threads), pages in runs.items():
        for name, measured in pages.items():
            rps, p50, p99 = (
                statistics.median(m[key] for m in measured) for key in ("rps", "p50", "p99")
            )
            print(
                f"| {kind} | {workers} | {threads} | {name} | {rps:,.0f} | {p50:.1f} | {p99:.1f} |"
            )


# Reporting ---------------------------------------------------------------------------------


def report(results, smoke, restart=None):
    lines = [
        f"Measured on {date.today().isoformat()}, on a machine with {os.cpu_count()} cores; "
        "granian (alsblog/serve.py) with production settings on 127.0.0.1, wrk with 2 "
        "threads on the same machine.",
        "",
        "Pages at 16 concurrent connections, served from the page cache; the limit is the same "
        "server answering the same bytes from a view that touches no database. SQL queries: "
        "on a cache miss / on a hit. A ratio above 100% is possible: the page cache answers "
        "before the session and authentication middleware, which the limit's view goes "
        "through.",
        "",
        "| Database | Page | req/s | p50 ms | p99 ms | p99/p50 | limit req/s | limit p99/p50 "
        "| ratio | SQL | errors |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |",
    ]
    for result in results:
        for name, page in result["pages"].items():
            miss, hit = page["queries"]
            lines.append(
                f"| {result['label']} | {name} | {page['rps']:,.0f} | {page['p50']:.2f} | "
                f"{page['p99']:.2f} | {page['p99'] / page['p50']:.1f} | "
                f"{page['limit_rps']:,.0f} | {page['limit_p99_over_p50']:.1f} | "
                f"{page['ratio']:.0%} | {miss} / {hit} | "
                f"{page['errors']} |"
            )
    fronts = [result for result in results if result.get("front")]
    if fronts:
        lines += [
            "",
            "The article page through Varnish (deploy/varnish/alsblog.vcl, in front of the "
            "server above) at 16 connections, against nginx serving the same bytes as a file; "
            "alternating rounds, medians. Then changes to an article's title, one after "
            "another: milliseconds from its commit until a reader polling the page "
            "through Varnish sees it (the worker polls its queue every 0.2 s, sends the purge; "
            "the next request fetches the page afresh).",
            "",
            "| Database | Varnish req/s | p50 ms | p99 ms | nginx file req/s | nginx p99 ms | "
            "ratio | changes | seen p50 ms | seen p99 ms | seen max ms | never seen |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for result in fronts:
            front, purge = result["front"], result["front"]["purge"]
            nginx_rps = front["nginx_rps"]
            ratio = f"{front['rps'] / nginx_rps:.0%}" if nginx_rps else "no nginx"
            lines.append(
                f"| {result['label']} | {front['rps']:,.0f} | {front['p50']:.2f} | "
                f"{front['p99']:.2f} | {nginx_rps or 0:,.0f} | {front['nginx_p99'] or 0:.2f} | "
                f"{ratio} | {purge['changes']} | {purge['p50'] or 0:.0f} | "
                f"{purge['p99'] or 0:.0f} | {purge['max'] or 0:.0f} | {purge['never']} |"
            )
    weight = results[0]["weight"]
    lines += [
        "",
        f"Article page weight (HTML + CSS + JS, compressed): {weight / 1024:.1f} KB.",
        "",
        "Comment posts, each a new comment from its own address and email. Lost: comments "
        "answered as accepted (the redirect names each one) that are not in the database, "
        "checked one by one. Stored counts the new rows; it may exceed accepted by the posts "
        "still in flight when wrk stopped.",
        "",
        'Busy: posts answered at once with "send it again in a few seconds" (503 with '
        "Retry-After) because the process's share of threads for posting was taken "
        "(COMMENTS_POSTING_THREADS). SQL: the queries of one accepted comment.",
        "",
        "| Database | clients | seconds | accepted | accepted/s | refused | busy | 5xx | stored "
        '| lost | "database is locked" | SQL |',
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for result in results:
        for post in result["posts"]:
            lines.append(
                f"| {result['label']} | {post['clients']} | {post['seconds']} | "
                f"{post['accepted']:,} | {post['accepted'] / post['seconds']:,.0f} | "
                f"{post['refused']} | {post.get('busy', 0)} | {post['failed']} | "
                f"{post['stored']:,} | {post['lost']} | {post['locked']} | "
                f"{result['post_queries']} |"
            )
    lines += [
        "",
        "Readers during a comment flood: the cached article page at 16 connections, alone, "
        "then while 64 clients post comments as fast as they can, with the site-wide ceiling "
        "at its default (60 comments a minute: past it, posts are paused) and with none. The "
        "servers run on one processor and the clients on the other, standing in for readers "
        "and writers on other machines (the flood's generator at nice 10, below the readers' "
        "client). Through Varnish, the app server runs as behind a front cache in production "
        '(FRONT_CACHE set: every thread may post). Busy: "send it again in a few '
        "seconds\", for a post that found posting's threads taken, or waited over 3 s "
        "for one while another was under way (comments/posting.py). Over 10 s: posts answered "
        "after more than 10 s, or failed at the socket (wrk counts neither in its "
        "percentiles, nor a post still unanswered when it stops).",
        "",
        "| Database | readers | comments a minute, at most | p99 idle ms | p99 during the "
        "flood ms | ratio | req/s idle | req/s during | posts accepted | paused (429) | busy "
        "| 5xx | over 10 s |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
        "| ---: |",
    ]
    for result in results:
        for flood in result["floods"]:
            idle, during, posted = flood["idle"], flood["during"], flood["posted"]
            lines.append(
                f"| {result['label']} | {flood_readers(flood)} | "
                f"{flood['ceiling'] or 'none'} | {idle['p99']:.2f} | "
                f"{during['p99']:.2f} | {during['p99'] / idle['p99']:.1f}x | "
                f"{idle['rps']:,.0f} | {during['rps']:,.0f} | {posted.get('accepted', 0):,} | "
                f"{posted.get('refused', 0):,} | {posted.get('busy', 0):,} | "
                f"{posted.get('failed', 0)} | {posted.get('errors', 0)} |"
            )
    if restart:
        lines += [
            "",
            "A PostgreSQL restart (a server of the benchmark's own, stopped for 3 s and "
            "started again) under 16 readers of the cached article page and one of the "
            "search page, which needs the database.",
            "",
            "| readers' answers | 5xx | connection errors | served from the outage copy | "
            "search answers | search 503 | search other 5xx |",
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
            f"| {restart['readers']:,} | {restart['reader_5xx']} | {restart['reader_errors']} | "
            f"{restart['stale']:,} | {restart['searches']:,} | {restart['search_503']:,} | "
            f"{restart['search_500']} |",
        ]
    lines += [
        "",
        "Mail: `send_digest` queuing this week's digest for every confirmed subscriber (one "
        "outbox row each, the email rendered once), then one worker (`manage.py db_worker "
        "--batch`, starting up included) delivering the queue into an SMTP sink on "
        "127.0.0.1.",
        "",
        "| Database | subscribers | queued | queue s | delivered | deliver s | messages/s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for result in results:
        mail = result["mail"]
        lines.append(
            f"| {result['label']} | {mail['subscribers']:,} | {mail['queued']:,} | "
            f"{mail['queue_seconds']:.1f} | {mail['received']:,} | {mail['deliver_seconds']:.1f} | "
            f"{mail['received'] / mail['deliver_seconds']:,.0f} |"
        )
    if not smoke:
        lines += [
            "",
            "Growth: median time of a page rendered afresh (not from the cache), with 10 "
            "articles and 200 comments (100 pending) and with 10,000 articles and 200,000 "
            "comments (100,000 pending): the same proportions, a thousand times larger.",
            "",
            "| Database | page | 10 articles ms | 10,000 articles ms | ratio |",
            "| --- | --- | ---: | ---: | ---: |",
        ]
        for result in results:
            small, large = result["growth"]["small"], result["growth"]["large"]
            for name in ("home", "article", "queue"):
                lines.append(
                    f"| {result['label']} | {name} | {small[name]:.2f} | {large[name]:.2f} | "
                    f"{large[name] / small[name]:.2f}x |"
                )
    return "\n".join(lines) + "\n"


def flood_readers(flood):
    """Who read during `flood`, as the table says it."""
    return "through Varnish" if flood.get("front") else "of the app server"


def check(results, smoke, restart=None):
    """Return the list of targets the run missed."""
    misses = []
    if restart and (restart["reader_5xx"] or restart["reader_errors"] or restart["search_500"]):
        misses.append(f"database restart: {restart}")
    for result in results:
        front = result.get("front")
        if front and (front["errors"] or front["purge"]["never"]):
            misses.append(f"{result['label']}: front cache {front}")
        if result["post_queries"] > 6:
            misses.append(f"{result['label']}: {result['post_queries']} queries a comment")
        for flood in result["floods"]:
            if not smoke and flood["during"]["p99"] > 3 * flood["idle"]["p99"]:
                misses.append(
                    f"{result['label']}: readers' p99 {flood_readers(flood)} over 3x idle "
                    f"during a flood (ceiling {flood['ceiling'] or 'none'})"
                )
            readers_failed = flood["during"]["non_2xx_3xx"] or flood["during"]["errors"]
            # Behind the front cache a post that arrived over 3 s before a thread takes it is
            # answered at once (X-Request-Start), so the queue drains: none takes over 10 s.
            too_slow = flood.get("front") and flood["posted"].get("errors")
            if flood["posted"].get("failed") or readers_failed or too_slow:
                misses.append(f"{result['label']} flood: {flood}")
        for name, page in result["pages"].items():
            if page["errors"]:
                misses.append(f"{result['label']} {name}: {page['errors']} failed responses")
            if not smoke and page["ratio"] < 0.6:
                misses.append(f"{result['label']} {name}: {page['ratio']:.0%} of the limit")
            if not smoke and page["p99"] > 3 * page["p50"]:
                misses.append(f"{result['label']} {name}: p99 over 3x p50")
        for post in result["posts"]:
            if post["failed"] or post["lost"] or post["locked"] or post["errors"]:
                misses.append(f"{result['label']} posts at {post['clients']} clients: {post}")
            if not post["accepted"]:
                misses.append(f"{result['label']} posts at {post['clients']}: none accepted")
        mail = result["mail"]
        if mail["queued"] != mail["subscribers"] or mail["received"] != mail["subscribers"]:
            misses.append(f"{result['label']} mail: {mail}")
        if not smoke and mail["queue_seconds"] > 30:
            misses.append(f"{result['label']} digest queued in {mail['queue_seconds']:.0f} s")
        if not smoke and mail["received"] / mail["deliver_seconds"] < 50:
            misses.append(f"{result['label']} delivery under 50 messages a second")
        for name, large in result["growth"].get("large", {}).items():
            if large > 2 * result["growth"]["small"][name]:
                misses.append(f"{result['label']} {name} grows over 2x")
    return misses


def write_results(table):
    (ROOT / "bench" / "results.md").write_text("# Benchmark results\n\n" + table)
    readme = ROOT / "docs" / "developers.md"
    text = readme.read_text()
    start, end = "<!-- bench:start -->", "<!-- bench:end -->"
    if start in text and end in text:
        before, rest = text.split(start, 1)
        after = rest.split(end, 1)[1]
        readme.write_text(f"{before}{start}\n{table}{end}{after}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="a few seconds, SQLite only")
    parser.add_argument("--tune", action="store_true", help="compare gunicorn settings")
    parser.add_argument("--seconds", type=int, default=4, help="length of each page run")
    parser.add_argument("--rounds", type=int, default=3, help="alternating page/limit rounds")
    parser.add_argument("--sqlite-only", action="store_true")
    options = parser.parse_args()

    ensure_wrk()
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "server.log").write_text("")
    env = production_env(f"sqlite:///{DATA / 'collectstatic.sqlite3'}")
    run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env)
    if options.tune:
        tune(options)
        return 0

    started = time.monotonic()
    kinds = ["sqlite"]
    if not options.smoke and not options.sqlite_only and postgres_available():
        kinds.append("postgresql")
    results = [bench_backend(kind, options) for kind in kinds]
    restart = None if options.smoke else bench_restart()
    table = report(results, options.smoke, restart)
    print("\n" + table)
    misses = check(results, options.smoke, restart)
    for miss in misses:
        print(f"MISSED: {miss}")
    log(f"Finished in {time.monotonic() - started:.0f} s.")
    if not options.smoke:
        write_results(table)
    # The smoke run fails CI on errors and lost comments only; speed is for the full run.
    return 1 if options.smoke and misses else 0


if __name__ == "__main__":
    sys.exit(main())
