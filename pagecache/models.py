from django.db import models
from django.utils import timezone


class PublicVersion(models.Model):
    """One row counting changes to anything the public sees; see pagecache/versions.py."""

    version = models.BigIntegerField(default=1)
    changed_at = models.DateTimeField(default=timezone.now)
    next_change = models.DateTimeField(
        null=True, blank=True, help_text="When the next scheduled change goes public."
    )

    class Meta:
        # The table was made when the page cache lived in the articles app; it moved without
        # its data having to (pagecache/migrations/0001_initial.py).
        db_table = "articles_publicversion"

    def __str__(self):
        return f"Public version {self.version}"
