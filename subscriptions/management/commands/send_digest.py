import sys

from django.core.management.base import BaseCommand, CommandError

from subscriptions import editions


class Command(BaseCommand):
    help = (
        "Send this week's digest of new articles to the weekly digest list. Run it weekly "
        "(e.g. from cron); running it again in the same week sends nobody a second copy."
    )

    def handle(self, *args, **options):
        try:
            edition = editions.prepare_digest()
        except editions.NoDigestList as problem:
            raise CommandError(str(problem)) from None
        if edition is None:
            self.stdout.write("No new articles since the last digest: nothing sent.")
            return
        count = edition.articles.count()
        self.stdout.write(f"“{edition.subject}”: {count} article(s).")
        added = editions.queue_emails(edition, progress=self.progress)
        self.stdout.write("")
        self.stdout.write(
            f"{added} email(s) queued; the worker sends them "
            "(see Emails in the admin for their progress)."
        )

    def progress(self, done, total):
        width = 30
        filled = width * done // total if total else width
        bar = "#" * filled + " " * (width - filled)
        end = "\n" if done == total or not sys.stdout.isatty() else ""
        self.stdout.write(f"\r  subscribers [{bar}] {done:>7,}/{total:,}", ending=end)
