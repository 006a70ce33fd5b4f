from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.loading import load
from demo.staff import STAFF


class Command(BaseCommand):
    help = (
        "Load the demo staff accounts and articles. Running it again adds nothing twice. "
        "Refuses to run unless DEBUG is on (or --force): it sets known passwords."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="load the demo even though DEBUG is off"
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "The demo sets published passwords on staff accounts, so it only runs with "
                "DEBUG=1 (as under `make run`). Use --force if you really mean it."
            )
        articles, comments = load()
        self.stdout.write(
            f"Demo content ready: {articles} article(s) and {comments} comment(s) added."
        )
        self.stdout.write("")
        self.stdout.write(f"Demo staff logins for {settings.SITE_URL}/admin/ :")
        for username, _first, _last, group, password in STAFF:
            self.stdout.write(f"  {group[:-1]:<10} {username:<10} password: {password}")
