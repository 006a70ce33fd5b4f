"""Serve alsblog in production with granian: `python -m alsblog.serve`.

granian (a WSGI server written in Rust) answered the cached pages a third to a half faster
than gunicorn, with a shorter tail, on the same machine in the same run (`python bench/run.py
--tune`; docs/operators.md, "Deploying", has the table). Each setting can be overridden from the
environment; gunicorn.conf.py still configures gunicorn for anyone who prefers it.
"""

import multiprocessing
import os

from granian import Granian
from granian.constants import Interfaces


def options():
    host, _, port = os.environ.get(
        "BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}"
    ).rpartition(":")
    return {
        "target": "alsblog.wsgi:application",
        "address": host or "127.0.0.1",
        "port": int(port),
        "interface": "wsgi",
        # One process per core, two Python threads each: comment posting may use one of
        # them (COMMENTS_POSTING_THREADS), so readers always find the other.
        "workers": int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count())),
        "blocking_threads": int(os.environ.get("WEB_THREADS", "2")),
        "websockets": False,
        "log_access": bool(os.environ.get("ACCESS_LOG")),
        # A worker that dies is started again.
        "respawn_failed_workers": True,
    }


def main():
    settings = options()
    settings["interface"] = Interfaces.WSGI
    Granian(**settings).serve()


if __name__ == "__main__":
    main()
