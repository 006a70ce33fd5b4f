"""gunicorn settings for alsblog: `gunicorn alsblog.wsgi` picks this file up by itself.

Workers and threads were chosen by measurement with `python bench/run.py --tune`: the
cached article page at 16 connections on a 2-core machine, seven settings from 2 to 5
workers and 1 to 4 threads (the table is in docs/operators.md, "Deploying"). Each can be
overridden from the environment.
"""

import multiprocessing
import os

bind = os.environ.get("BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
worker_class = "gthread"
# Measured on 2 cores: one process per core with two threads each had the shortest tail
# (p99) and all but the best throughput; more processes or threads bought nothing.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count()))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
# Threads wait on the database and on slow clients without holding a whole process.
keepalive = 5
timeout = 30
graceful_timeout = 20
# Load Django once, before forking: workers start in milliseconds and share its memory.
preload_app = True
# Recycle workers now and then so that a slow leak can never grow without bound, but
# rarely: a new worker starts with an empty in-process page cache. (At 5,000 requests the
# benchmark saw a worker recycled every few seconds, and p99 latency triple.)
max_requests = 200_000
max_requests_jitter = 20_000
accesslog = os.environ.get("GUNICORN_ACCESS_LOG")  # off unless asked: it costs throughput
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
