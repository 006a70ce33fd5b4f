"""The image library: pictures placed in articles, with alt text, caption and credit."""

from django.conf import settings
from django.db import models, transaction

from articles import images


class Image(models.Model):
    """A picture in the library: a featured image or one placed in an article's body."""

    title = models.CharField(max_length=200, help_text="For finding the image again; not shown.")
    file = images.CheckedImageField(
        upload_to=images.RandomName("images"),
        help_text="JPEG, PNG, WebP or GIF, at most 10 MB. Location data is removed on upload.",
    )
    alt_text = models.CharField(
        "alt text",
        max_length=300,
        help_text="Describe the picture for people who cannot see it, "
        "e.g. “A researcher pipetting samples in a lab”.",
    )
    caption = models.CharField(max_length=300, blank=True)
    credit = models.CharField(max_length=200, blank=True, help_text="e.g. “Photo: Jane Doe”.")
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    renditions = models.JSONField(default=dict, blank=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Whatever path stores a new file, the stored file is the cleaned one (no EXIF, so
        # no GPS position) and has its renditions; the old renditions go once committed.
        # The articles showing the image are rendered again by articles.publishing.
        replaced = None
        if self.file and not self.file._committed:
            replaced = self.renditions
            self.renditions = images.process_upload(self.file)
            self.width, self.height = self.renditions["width"], self.renditions["height"]
        super().save(*args, **kwargs)
        if replaced:
            transaction.on_commit(lambda: images.delete_renditions(replaced))

    @property
    def url(self):
        return self.file.url if self.file else ""

    @property
    def body_marker(self):
        """How an article body names this image (the editor's figure carries its id)."""
        return f'data-file="{self.pk}"'
