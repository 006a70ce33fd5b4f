import shutil
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.backups import restored


class Command(BaseCommand):
    help = (
        "Replace the database's content and the uploaded files with a backup made by "
        "`manage.py backup`. Everything now in the database is deleted first."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the backup file")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, path, yes, **options):
        if not Path(path).is_file():
            raise CommandError(f"No backup file at {path}.")
        if not yes and input("This replaces all content. Type 'yes' to go on: ") != "yes":
            raise CommandError("Nothing was changed.")
        media = Path(settings.MEDIA_ROOT)
        incoming = media.with_name(media.name + ".restoring")
        with tempfile.TemporaryDirectory() as folder, tarfile.open(path, "r:gz") as archive:
            archive.extractall(folder, filter="data")
            unpacked = Path(folder)
            if not (unpacked / "data.json").is_file():
                raise CommandError(f"{path} is not an alsblog backup: it has no data.json.")
            # Media first, beside the live folder: if the copy fails, nothing has changed.
            shutil.rmtree(incoming, ignore_errors=True)
            if (unpacked / "media").is_dir():
                shutil.copytree(unpacked / "media", incoming)
            else:
                incoming.mkdir(parents=True)
            with transaction.atomic():
                call_command("flush", interactive=False, verbosity=0)
                call_command("loaddata", str(unpacked / "data.json"), verbosity=0)
                restored.send(sender=self.__class__)
            retired = media.with_name(media.name + ".replaced")
            shutil.rmtree(retired, ignore_errors=True)
            if media.exists():
                media.rename(retired)
            incoming.rename(media)
            shutil.rmtree(retired, ignore_errors=True)
        self.stdout.write(f"Restored {path}.")
