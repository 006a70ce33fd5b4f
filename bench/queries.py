"""Count the SQL queries of each benchmarked page, on a cache miss and then a hit, and of
posting one comment (without the statements that only begin or end a transaction).

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
    counts["post"] = count_posting(urls["article"])
    print(json.dumps(counts))


TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


def count_posting(article_url):
    """The queries of one accepted comment, posted as a reader posts it."""
    import time

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from articles.models import Article
    from comments import rules
    from comments.forms import sign_timestamp

    slug = article_url.strip("/").split("/")[-1]
    article = Article.objects.get(slug=slug)
    client = Client()
    client.get(article_url)
    data = {
        "name": "Query counter",
        "email": f"query-counter-{time.time_ns()}@example.com",
        "body": "Counting the queries of one comment.",
        "timestamp": sign_timestamp(article.pk, now=time.time() - 60),
        "website": "",
        "parent": "",
    }
    rules.flag_categories()  # in the cache, as on a site where comments arrive
    with CaptureQueriesContext(connection) as queries:
        status = client.post(f"{article_url}comments/", data).status_code
    assert status == 302, status
    return sum(
        not query["sql"].upper().startswith(TRANSACTION_CONTROL)
        for query in queries.captured_queries
    )


if __name__ == "__main__":
    main(json.loads(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else "")
