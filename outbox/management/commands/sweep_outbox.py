from django.core.management.base import BaseCommand

from outbox.sweep import sweep


class Command(BaseCommand):
    help = (
        "Resume email tasks a crashed worker left running or that failed, and make sure "
        "every due email has a delivery run queued. Run it every few minutes from cron."
    )

    def handle(self, *args, **options):
        resumed = sweep()
        self.stdout.write(f"Resumed {resumed} task(s); due mail has a delivery run queued.")
