from django.core.management.base import BaseCommand
from django.db import transaction

from pagecache.versions import bump


class Command(BaseCommand):
    help = (
        "Mark every cached page stale. `restore` does it by itself; run this after restoring "
        "the database any other way (e.g. pg_restore)."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            bump()
        if options["verbosity"]:
            self.stdout.write("Cached pages will be rendered afresh.")
