"""The mail half of the benchmark, run with DATABASE_URL naming a benchmark database.

`python -m bench.mail subscribers N`: N confirmed subscribers of the weekly digest (bulk).
`python -m bench.mail digest`: times `send_digest` queuing this week's digest; prints JSON.
`python -m bench.mail sent`: prints how many emails the outbox has sent, as JSON.
"""

import io
import json
import os
import sys
import time

import django


def subscribers(count):
    from subscriptions.models import MailingList, Subscriber, Subscription

    digest = MailingList.objects.get(is_digest=True)
    batch = 2000
    for first in range(0, count, batch):
        made = Subscriber.objects.bulk_create(
            Subscriber(email=f"subscriber{n}@example.com")
            for n in range(first, min(count, first + batch))
        )
        Subscription.objects.bulk_create(
            Subscription(subscriber=s, mailing_list=digest, status="confirmed") for s in made
        )
    print(json.dumps({"subscribers": count}))


def digest():
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("send_digest", stdout=io.StringIO())
    seconds = time.perf_counter() - started
    from outbox.models import Email

    print(json.dumps({"seconds": seconds, "queued": Email.objects.count()}))


def sent():
    from outbox.models import Email

    print(json.dumps({"sent": Email.objects.filter(status="sent").count()}))


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    command, *args = sys.argv[1:]
    {"subscribers": lambda: subscribers(int(args[0])), "digest": digest, "sent": sent}[command]()
