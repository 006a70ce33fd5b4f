from django.core.management.base import BaseCommand

from subscriptions import signups


class Command(BaseCommand):
    help = (
        "Forget sign-ups that were not confirmed within 7 days (and addresses left with no "
        "subscription). Run it daily, e.g. from cron."
    )

    def handle(self, *args, **options):
        count = signups.expire_unconfirmed()
        self.stdout.write(f"Forgot {count} unconfirmed sign-up(s).")
