import io
import json
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

# Not worth keeping: recreated by migrations, or short-lived.
EXCLUDE = ["contenttypes", "auth.permission", "sessions", "axes"]


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
        call_command(
            "dumpdata", natural_foreign=True, natural_primary=True, exclude=EXCLUDE,
            indent=None, stdout=data,
        )  # fmt: skip
        content = data.getvalue().encode()
        manifest = {
            "made_at": timezone.now().isoformat(),
            "objects": len(json.loads(content)),
        }
        media = Path(settings.MEDIA_ROOT)
        with tarfile.open(path, "w:gz") as archive:
            for name, payload in (("data.json", content),
                                  ("manifest.json", json.dumps(manifest).encode())):  # fmt: skip
                info = tarfile.TarInfo(name)
                info.size = len(payload)
                archive.addfile(info, io.BytesIO(payload))
            if media.is_dir():
                archive.add(media, arcname="media")
        self.stdout.write(f"Backed up {manifest['objects']} records and the media files to {path}")
