"""`make bench-wordpress`: comment posting in alsblog and in WordPress 6.1, in one run.

Not part of `make bench`: it needs root, Debian's wordpress package and a MariaDB on
127.0.0.1:3306. It
1. sets up (or resets) WordPress with bench/wordpress_server.sh: Apache and mod_php on
   127.0.0.1:8081, one post with 50 approved comments, every new comment held for a moderator;
2. builds alsblog's small data set (an article with 50 comments) in SQLite and, when one
   answers on 127.0.0.1:5432, PostgreSQL, and starts the production server (granian) as
   `make bench` does;
3. posts comments with bench/post.py to alsblog, then WordPress, then alsblog, then WordPress
   (16 clients, 20 s each), so that the machine's drift touches both alike. Every request is
   a new reader: its own source address on 127/8 (both sites see the connection's address),
   email and text. Before each run, the comments of the last one are deleted, so that every
   run starts from the article or post with its 50 comments;
4. checks every comment answered as accepted is in the site's database (lost), and prints a
   markdown table and alsblog's ratio to WordPress.

    python bench/compare_wordpress.py [--clients 16] [--seconds 20] [--rounds 2] [--sqlite-only]
"""

import argparse
import contextlib
import json
import os
import re
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import frontcache  # noqa: E402 (bench/frontcache.py, beside this file)

from bench import run as bench  # noqa: E402 (after the path it needs)

ROOT = bench.ROOT
SETUP = ROOT / "bench" / "wordpress_server.sh"
# No site-wide limit on comment posts a minute (0: none), as WordPress has none. (A limit set
# too high to reach is not the same: each post counts up to it the posts of the last minute.)
# Unknown settings are ignored.
ALSBLOG_ENV = {"TRUSTED_PROXY_COUNT": "0", "COMMENTS_MAX_PER_MINUTE": "0"}


def setup_wordpress(moderator_email=True):
    """Set WordPress up or back to its 50 comments; return the script's KEY=value lines."""
    env = {**os.environ, "WP_MODERATOR_EMAIL": "1" if moderator_email else "0"}
    done = subprocess.run(["bash", str(SETUP)], capture_output=True, text=True, env=env)
    if done.returncode == 3:
        return None, done.stdout.strip()
    if done.returncode:
        raise RuntimeError(f"{SETUP.name} failed:\n{done.stderr}")
    return dict(re.findall(r"^([A-Z_]+)=(.*)$", done.stdout, re.M)), None


def post(url, fields, options, source, ids_file, form=None, form_wait=0.0):
    args = [bench.PYTHON, str(ROOT / "bench" / "post.py"), url, "--source", source]
    args += ["--clients", str(options.clients), "--seconds", str(options.seconds)]
    args += ["--ids-file", str(ids_file)]
    if form:
        args += ["--form", form, "--form-wait", str(form_wait)]
    for name, value in fields.items():
        args += ["--field", f"{name}={value}"]
    output = subprocess.run(args, capture_output=True, text=True, cwd=ROOT)
    if not output.stdout.strip():
        raise RuntimeError(f"post.py printed nothing:\n{output.stderr}")
    return json.loads(output.stdout.strip().splitlines()[-1])


def alsblog_reset(database_url):
    env = bench.production_env(database_url, **ALSBLOG_ENV)
    script = (
        "import django; django.setup(); from comments.models import Comment;"
        "Comment.objects.filter(body__startswith='Benchmark comment').delete()"
    )
    bench.run([bench.PYTHON, "-c", script], env)


def wordpress_lost(ids_file):
    ids = [int(i) for i in Path(ids_file).read_text().split()]
    if not ids:
        return 0
    found = 0
    for start in range(0, len(ids), 1000):
        chunk = ",".join(map(str, ids[start : start + 1000]))
        query = f"SELECT COUNT(*) FROM wp_comments WHERE comment_ID IN ({chunk})"
        mysql = ["mysql", "--protocol=tcp", "-h127.0.0.1", "-uroot", "-N", "-B", "wp_bench"]
        output = subprocess.run(
            [*mysql, "-e", query], capture_output=True, text=True, check=True
        ).stdout
        found += int(output.strip())
    return len(ids) - found


def compare(kind, wordpress, options, sources, *, front=False):
    """Alternating runs of alsblog on `kind` and WordPress. With `front`, alsblog runs as
    behind a front cache in production: Varnish with the shipped VCL in front, FRONT_CACHE
    set (so posting may use every thread: readers are served by Varnish), posts through it."""
    label = "SQLite" if kind == "sqlite" else "PostgreSQL"
    if front:
        label += " behind Varnish"
    bench.log(f"\n== alsblog on {label} against WordPress on MariaDB ==")
    database_url, info = bench.build(kind, "alsblog_bench_wp", "small")
    slug = info["article"].strip("/").split("/")[-1]
    alsblog_fields = {
        "name": "Bench reader {n}",
        "email": "bench-{n}@example.com",
        "body": "Benchmark comment {n} about the study",
        "website": "",
    }
    wordpress_fields = {
        "author": "Bench reader {n}",
        "email": "bench-{n}@example.com",
        "url": "",
        "comment": "Benchmark comment {n} about the study",
        "comment_post_ID": wordpress["POST_ID"],
        "comment_parent": "0",
    }
    runs = []
    with contextlib.ExitStack() as stack:
        base, env = bench.url(""), dict(ALSBLOG_ENV)
        if front:
            front_port = bench.free_port()
            base = f"http://127.0.0.1:{front_port}"
            # Varnish adds the address it saw to X-Forwarded-For: each post keeps its own.
            env.update(FRONT_CACHE="varnish", FRONT_CACHE_URLS=base, TRUSTED_PROXY_COUNT="1")
        stack.enter_context(bench.Server(database_url, **env))
        if front:
            stack.enter_context(frontcache.varnish_in_front_of(bench.PORT, front_port))
        for round_number in range(1, options.rounds + 1):
            alsblog_reset(database_url)
            ids_file = bench.OUT / f"wp-compare-alsblog-{kind}-{round_number}.txt"
            bench.log(f"- round {round_number}: alsblog, {options.clients} clients")
            result = post(
                f"{base}/articles/{slug}/comments/",
                alsblog_fields,
                options,
                next(sources),
                ids_file,
                form=f"{base}{info['article']}",
                form_wait=3.2,  # the form's signed timestamp must be older than 3 s
            )
            checked, lost = bench.missing_comments(database_url, ids_file)
            result.update(site="alsblog", database=label, round=round_number)
            result["lost"] = lost + result["accepted"] - checked
            runs.append(result)

            setup_wordpress(options.moderator_email)  # back to the post's 50 comments
            ids_file = bench.OUT / f"wp-compare-wordpress-{kind}-{round_number}.txt"
            bench.log(f"- round {round_number}: WordPress, {options.clients} clients")
            result = post(
                "http://127.0.0.1:8081/wp-comments-post.php",
                wordpress_fields,
                options,
                next(sources),
                ids_file,
            )
            result.update(site="WordPress 6.1", database="MariaDB", round=round_number)
            result["lost"] = wordpress_lost(ids_file)
            runs.append(result)
    bench.drop_database(kind, "alsblog_bench_wp")
    return label, runs


def report(comparisons, options):
    lines = [
        f"Comment posts at {options.clients} clients, {options.seconds:g} s a run, alternating "
        f"alsblog and WordPress {options.rounds} times; each request a new reader (its own "
        "source address, email and text). Lost: accepted, but not in the database. "
        "WordPress's email to the moderator for each held comment: "
        f"{'on (its default)' if options.moderator_email else 'off'}.",
        "",
        "| Site | Database | round | accepted/s | p50 ms | p99 ms | refused | failed | errors "
        "| lost |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for _, runs in comparisons:
        for run in runs:
            lines.append(
                f"| {run['site']} | {run['database']} | {run['round']} | "
                f"{run['accepted_per_s']:,.1f} | {run['p50_ms']:.1f} | {run['p99_ms']:.1f} | "
                f"{run['refused']} | {run['failed']} | {run['errors']} | {run['lost']} |"
            )
    lines += [
        "",
        "| alsblog on | alsblog accepted/s | WordPress accepted/s | ratio | alsblog p50 / p99 ms "
        "| WordPress p50 / p99 ms |",
        "| --- | ---: | ---: | ---: | --- | --- |",
    ]
    for label, runs in comparisons:
        mine = [run for run in runs if run["site"] == "alsblog"]
        theirs = [run for run in runs if run["site"] != "alsblog"]

        def rate(group):
            return sum(run["accepted"] for run in group) / sum(run["seconds"] for run in group)

        def latency(group):
            p50 = statistics.median(run["p50_ms"] for run in group)
            p99 = statistics.median(run["p99_ms"] for run in group)
            return f"{p50:.1f} / {p99:.1f}"

        lines.append(
            f"| {label} | {rate(mine):,.1f} | {rate(theirs):,.1f} | "
            f"{rate(mine) / max(rate(theirs), 1e-9):.2f}x | {latency(mine)} | {latency(theirs)} |"
        )
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--rounds", type=int, default=2, help="alsblog-then-WordPress pairs")
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument(
        "--no-moderator-email",
        dest="moderator_email",
        action="store_false",
        help="turn off WordPress's email to the moderator for each held comment (its default "
        "sends it in the request; alsblog queues its own in the outbox)",
    )
    options = parser.parse_args()

    wordpress, skipped = setup_wordpress(options.moderator_email)
    if wordpress is None:
        print(skipped)
        return 0
    bench.OUT.mkdir(parents=True, exist_ok=True)
    env = bench.production_env(f"sqlite:///{bench.DATA / 'collectstatic.sqlite3'}")
    bench.run([bench.PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env)
    kinds = ["sqlite"]
    if not options.sqlite_only and bench.postgres_available():
        kinds.append("postgresql")
    # Each run posts from its own range of addresses (127.1.0.1, 127.2.0.1, ...), so that no
    # run's first readers look like the last run's, whatever the flood window.
    sources = iter(f"127.{number}.0.1" for number in range(1, 255))
    comparisons = [compare(kind, wordpress, options, sources) for kind in kinds]
    if frontcache.varnishd():
        comparisons += [compare(kind, wordpress, options, sources, front=True) for kind in kinds]
    print("\n" + report(comparisons, options))
    return 0


if __name__ == "__main__":
    sys.exit(main())
