from django.db import models


class Imported(models.Model):
    """What a WordPress id became here, so importing the same export again updates it."""

    class Kind(models.TextChoices):
        POST = "post", "Post"
        ATTACHMENT = "attachment", "Image"
        COMMENT = "comment", "Comment"

    site = models.CharField(max_length=200, help_text="The old site's address.")
    kind = models.CharField(max_length=12, choices=Kind)
    wordpress_id = models.PositiveBigIntegerField()
    object_id = models.PositiveBigIntegerField()
    # When the import last wrote the object: a later change was made here, by staff.
    written_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["site", "kind", "wordpress_id"], name="wordpress_imported_once"
            )
        ]
        verbose_name = "imported item"

    def __str__(self):
        return f"{self.get_kind_display()} {self.wordpress_id} of {self.site}"


class OldLink(models.Model):
    """An address of the old WordPress site, answered with a permanent redirect."""

    old_path = models.CharField(
        max_length=500, unique=True, help_text="Path and query, e.g. /2024/05/14/slug/ or /?p=12."
    )
    new_path = models.CharField(max_length=500)

    class Meta:
        ordering = ["old_path"]
        verbose_name = "old WordPress address"

    def __str__(self):
        return f"{self.old_path} → {self.new_path}"
