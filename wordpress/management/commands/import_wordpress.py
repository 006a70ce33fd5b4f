from django.core.management.base import BaseCommand, CommandError

from wordpress.importer import Importer, ImportFailed


class Command(BaseCommand):
    help = (
        "Import a WordPress export (Tools › Export › All content): posts, images, categories, "
        "tags, authors and threaded comments, with redirects from the old addresses. All or "
        "nothing; importing the same file again updates what changed and duplicates nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("export", help="The WXR file WordPress wrote.")
        parser.add_argument(
            "--uploads",
            help="A copy of the old site's wp-content/uploads folder. Images are read from "
            "here, never downloaded.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Do everything and print the report, then write nothing.",
        )

    def handle(self, *args, export, uploads, dry_run, **options):
        bar = ProgressBar(self.stderr) if options["verbosity"] > 0 else None
        importer = Importer(export, uploads=uploads, progress=bar)
        try:
            report = importer.run(dry_run=dry_run)
        except ImportFailed as problem:
            raise CommandError(f"Nothing was imported. {problem}") from None
        finally:
            if bar:
                bar.done()
        self.stdout.write("\n".join(report.lines()))


class ProgressBar:
    WIDTH = 30

    def __init__(self, stream):
        self.stream = stream
        self.shown = -1

    def __call__(self, done, total):
        percent = int(100 * done / total) if total else 100
        if percent == self.shown:
            return
        self.shown = percent
        filled = self.WIDTH * percent // 100
        bar = "#" * filled + "." * (self.WIDTH - filled)
        self.stream.write(f"\r  importing [{bar}] {percent:3d}%", ending="")
        self.stream.flush()

    def done(self):
        if self.shown >= 0:
            self.stream.write("")
