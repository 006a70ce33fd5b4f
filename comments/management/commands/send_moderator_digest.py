from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from comments import notifications
from outbox import queue as outbox


class Command(BaseCommand):
    help = (
        "Queue today's digest of comments waiting for review (and articles due for review), "
        "for the moderators who chose a daily email. Run it once a day from cron; running it "
        "again the same day sends nothing twice. The background worker delivers it."
    )

    def handle(self, *args, **options):
        day = timezone.localdate().isoformat()
        with transaction.atomic():
            outbox.enqueue(notifications.moderator_digest, day=day)
        waiting = notifications.queue_counts()["waiting"]
        due = notifications.reviews_due()[1]
        self.stdout.write(
            f"Queued the moderator digest for {day}: {waiting} comment(s) waiting, "
            f"{due} article(s) due for review."
        )
