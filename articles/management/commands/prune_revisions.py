from django.core.management.base import BaseCommand

from articles import autosave, revisions


class Command(BaseCommand):
    help = (
        "Delete the article revisions past ARTICLES_REVISIONS_KEEP and older than "
        "ARTICLES_REVISIONS_KEEP_DAYS, and the autosaves superseded by a save."
    )

    def handle(self, *args, **options):
        deleted = revisions.prune()
        autosave.forget_absent()
        self.stdout.write(f"{deleted} revision(s) deleted.")
