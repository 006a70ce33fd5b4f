from django.conf import settings
from django.core.management.base import BaseCommand

from comments import erasing


class Command(BaseCommand):
    help = (
        "Forget the IP addresses, browser names and pre-edit texts of comments older than "
        f"COMMENTS_KEEP_METADATA_DAYS ({settings.COMMENTS_KEEP_METADATA_DAYS}). Run it daily, "
        "e.g. from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=settings.COMMENTS_KEEP_METADATA_DAYS,
            help="Keep this many days of metadata (default: %(default)s).",
        )

    def handle(self, *args, days, **options):
        count = erasing.purge_metadata(older_than_days=days)
        self.stdout.write(
            f"Forgot the IP address, browser and pre-edit text of {count} comment(s)."
        )
