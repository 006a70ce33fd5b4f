"""Count the SQL queries of each benchmarked page, on a cache miss and then a hit.

Run with DATABASE_URL naming a benchmark database: prints one line of JSON.
"""

import json
import os
import sys

import django


def main(urls, session_key):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    counts = {}
    for name, url in urls.items():
        client = Client()
        if name == "queue":
            client.cookies[settings.SESSION_COOKIE_NAME] = session_key
        measured = []
        for _ in range(2):  # the first fills the cache, the second is served from it
            with CaptureQueriesContext(connection) as queries:
                status = client.get(url, secure=False).status_code
            assert status == 200, (url, status)
            measured.append(len(queries))
        counts[name] = measured
    print(json.dumps(counts))


if __name__ == "__main__":
    main(json.loads(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else "")
