"""The benchmark's own checks (bench/run.py): a run fails whose readers timed out, whose posts
behind Varnish took over 10 s, or whose readers waited over 3x idle during a flood."""

import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"
# bench/run.py imports frontcache.py from beside it; appended, so that nothing of the
# site is shadowed by a file of bench/ (bench/wordpress.py, say)
sys.path.append(str(BENCH))

from bench import run  # noqa: E402

WRK_OUTPUT = """Running 10s test @ http://127.0.0.1:8080/articles/a/
  Latency Distribution
     50%    0.52ms
     99%    1.40ms
  36000 requests in 10.00s, 1.70GB read
{errors}Requests/sec:   3600.00
"""


def readers(errors=""):
    return run.wrk_result(WRK_OUTPUT.format(errors=errors))


def a_run(during):
    flood = {"idle": readers(), "during": during, "posted": {"failed": 0}, "front": True}
    return {
        "label": "SQLite", "post_queries": 4, "floods": [{**flood, "ceiling": 60}],
        "pages": {}, "posts": [], "growth": {},
        "mail": {"queued": 1, "received": 1, "subscribers": 1, "queue_seconds": 1,
                 "deliver_seconds": 0.01},
    }  # fmt: skip


def test_a_flood_whose_readers_were_all_answered_passes():
    assert run.check([a_run(readers())], smoke=True) == []


def test_readers_that_timed_out_during_a_flood_fail_the_run():
    timed_out = readers("  Socket errors: connect 0, read 1, write 0, timeout 3\n")

    assert timed_out["errors"] == 4
    assert [miss.split(":")[0] for miss in run.check([a_run(timed_out)], smoke=True)] == [
        "SQLite flood"
    ]


def test_posts_answered_after_ten_seconds_behind_the_front_cache_fail_the_run():
    flooded = a_run(readers())
    flooded["floods"][0]["posted"] = {"failed": 0, "errors": 2}  # after wrk's 10 s
    assert [miss.split(":")[0] for miss in run.check([flooded], smoke=True)] == ["SQLite flood"]


def slow(p99):
    return {**readers(), "p99": p99}


def test_readers_over_three_times_idle_through_varnish_fail_the_run():
    misses = run.check([a_run(slow(4.5))], smoke=False)  # idle 1.40 ms
    assert [miss for miss in misses if "readers' p99" in miss] == [
        "SQLite: readers' p99 through Varnish over 3x idle during a flood (ceiling 60)"
    ]
