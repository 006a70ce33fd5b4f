"""The export's images: found in the uploads folder, stored as any upload is (cleaned of
metadata, resized), and found again by the posts that place them."""

import html
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils.html import strip_tags

from articles import images as image_files
from articles.models import Image
from wordpress.models import Imported
from wordpress.report import ImportFailed

Kind = Imported.Kind
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".webp"}


class Library:
    """The images of one import: by attachment id and by path in the uploads folder."""

    def __init__(self, uploads, report):
        self.uploads = uploads
        self.report = report
        self.site = ""
        self.images = {}  # attachment id -> Image
        self.images_by_path = {}  # "2026/01/x.jpg" -> Image
        self.stored_files = []  # (name, renditions): removed again if nothing is kept

    def attachment(self, item):
        relative = item.meta.get("_wp_attached_file", "")
        if not relative and item.attachment_url:
            relative = item.attachment_url.split("/wp-content/uploads/", 1)[-1]
        if Path(relative).suffix.lower() not in IMAGE_SUFFIXES:
            self.report.skip(f"file {relative}", "not an image (documents are not imported)")
            return
        alt = item.meta.get("_wp_attachment_image_alt", "").strip()[:300]
        caption = html.unescape(strip_tags(item.excerpt)).strip()[:300]
        title = (item.title or Path(relative).stem)[:200]
        known = Imported.objects.filter(
            site=self.site, kind=Kind.ATTACHMENT, wordpress_id=item.id
        ).first()
        image = Image.objects.filter(pk=known.object_id).first() if known else None
        if known and image is None:
            self.report.skip(f"image {relative}", "deleted here since it was imported")
            return
        if image is None:
            image = self._new_image(relative, title=title, alt=alt or title, caption=caption)
            if image is None:
                return
            Imported.objects.create(
                site=self.site, kind=Kind.ATTACHMENT, wordpress_id=item.id, object_id=image.pk
            )
            self.report.counts["image"] += 1
            if not alt:
                self.report.todo.append(
                    f"Image “{title}” had no alt text: its title stands in; describe it."
                )
        self.images[item.id] = image
        self.images_by_path[relative] = image

    def _new_image(self, relative, *, title, alt, caption):
        if self.uploads is None:
            self.report.skip(f"image {relative}", "no --uploads folder was given")
            return None
        file_path = (self.uploads / relative).resolve()
        if not file_path.is_relative_to(self.uploads.resolve()):
            self.report.skip(f"image {relative}", "its path leads out of the uploads folder")
            return None
        if not file_path.is_file():
            self.report.skip(f"image {relative}", "the uploads folder has no such file")
            return None
        image = Image(title=title, alt_text=alt, caption=caption)
        try:
            with open(file_path, "rb") as handle:
                image.file = File(handle, name=file_path.name)
                image.save()  # cleaned (no EXIF) and resized, as any upload
        except ValidationError as error:
            raise ImportFailed(f"{file_path}: {' '.join(error.messages)}") from None
        except OSError as error:
            raise ImportFailed(f"{file_path} cannot be read: {error.strerror}.") from None
        self.stored_files.append((image.file.name, image.renditions))
        return image

    def find(self, path, attachment_id):
        if attachment_id is not None and attachment_id in self.images:
            return self.images[attachment_id]
        return self.images_by_path.get(path) if path else None

    def remove_stored_files(self):
        for name, renditions in self.stored_files:
            default_storage.delete(name)
            image_files.delete_renditions(renditions)
