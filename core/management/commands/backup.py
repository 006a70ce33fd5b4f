import io
import json
import os
import tarfile
import time

from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from core.backups import left_out
from core.media import stored_names


class Command(BaseCommand):
    help = (
        "Back up the database and the uploaded files into one .tar.gz file "
        "(restore it with `manage.py restore FILE`)."
    )

    def add_arguments(self, parser):
        default = f"alsblog-backup-{timezone.now():%Y%m%d-%H%M%S}.tar.gz"
        parser.add_argument("path", nargs="?", default=default, help="where to write the backup")

    def handle(self, *args, path, **options):
        data = io.StringIO()
        # One consistent snapshot, even while the site goes on taking comments.
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            call_command(
                "dumpdata", natural_foreign=True, natural_primary=True, exclude=left_out(),
                indent=None, stdout=data,
            )  # fmt: skip
        content = data.getvalue().encode()
        manifest = {
            "made_at": timezone.now().isoformat(),
            "objects": len(json.loads(content)),
        }
        # The backup holds password hashes and commenters' emails: readable by its owner only.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with (
            os.fdopen(descriptor, "wb") as file,
            tarfile.open(fileobj=file, mode="w:gz") as archive,
        ):
            for name, payload in (("data.json", content),
                                  ("manifest.json", json.dumps(manifest).encode())):  # fmt: skip
                info = tarfile.TarInfo(name)
                info.size = len(payload)
                archive.addfile(info, io.BytesIO(payload))
            # From the storage in use, the local disk or a bucket, one file at a time.
            for name in stored_names(default_storage):
                with default_storage.open(name, "rb") as stored:
                    payload = stored.read()
                info = tarfile.TarInfo(f"media/{name}")
                info.size, info.mtime, info.mode = len(payload), time.time(), 0o644
                archive.addfile(info, io.BytesIO(payload))
        self.stdout.write(f"Backed up {manifest['objects']} records and the media files to {path}")
