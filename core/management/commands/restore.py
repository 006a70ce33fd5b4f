import tarfile
import tempfile
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.backups import restored
from core.media import stored_names


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
        with tempfile.TemporaryDirectory() as folder, tarfile.open(path, "r:gz") as archive:
            archive.extractall(folder, filter="data")
            unpacked = Path(folder)
            if not (unpacked / "data.json").is_file():
                raise CommandError(f"{path} is not an alsblog backup: it has no data.json.")
            # Media first, into the storage in use (the local disk or a bucket), beside what
            # is there: if the copy fails, the database and the files it names are as they were.
            present, kept, media = set(stored_names(default_storage)), set(), unpacked / "media"
            for file in sorted(media.rglob("*")):
                if file.is_file():
                    kept.add(self.put_back(file, file.relative_to(media).as_posix(), present))
            with transaction.atomic():
                call_command("flush", interactive=False, verbosity=0)
                call_command("loaddata", str(unpacked / "data.json"), verbosity=0)
                restored.send(sender=self.__class__)
            # Then what the backup did not hold: uploaded since, and shown by nothing now.
            for name in present - kept:
                default_storage.delete(name)
        self.stdout.write(f"Restored {path}.")

    def put_back(self, file, name, present):
        """Store `file` under `name`, the name the restored rows give it; return the name."""
        if name in present:
            # Upload names are random and never reused, so a file of the same name and size
            # is the same upload; a different one goes first, or the storage picks a new name.
            if default_storage.size(name) == file.stat().st_size:
                return name
            default_storage.delete(name)
        with file.open("rb") as content:
            stored = default_storage.save(name, File(content))
        if stored != name:
            raise CommandError(
                f"The storage kept media/{name} as {stored}; the database is as it was."
            )
        return name
