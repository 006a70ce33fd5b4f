"""An article's revisions, each person's autosaved draft of it, and who has it open.

Changed through articles/revisions.py and articles/autosave.py; `save()` only stores.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.text import display_name


class RevisionQuerySet(models.QuerySet):
    def saved(self):
        """Revisions that were the article at some moment: saves and restores, not drafts."""
        return self.exclude(kind=self.model.Kind.AUTOSAVE)

    def autosaves(self):
        return self.filter(kind=self.model.Kind.AUTOSAVE)


class Revision(models.Model):
    """What an article was after a save (title, summary, body, picture, category, tags,
    status, publish time), or what one person had typed but not saved (an autosave)."""

    class Kind(models.TextChoices):
        SAVED = "saved", "Saved"
        AUTOSAVE = "autosave", "Autosave"
        RESTORED = "restored", "Restored"
        # Only the status changed (publish or return to draft from the list, send back):
        # unlike a save, it holds nothing the person typed, so it supersedes no autosave.
        STATUS = "status", "Status changed"

    # Empty only for the autosave of an article not yet saved once.
    article = models.ForeignKey(
        "articles.Article", models.CASCADE, null=True, blank=True, related_name="revisions"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # An autosave is updated in place, and this moves with it.
    created_at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.SAVED)
    data = models.JSONField(default=dict)

    objects = RevisionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["article", "-created_at"], name="revision_article_idx")]
        constraints = [
            # One autosave per person and article (and one for the article they are starting).
            models.UniqueConstraint(
                fields=["created_by", "article"],
                condition=Q(kind="autosave", article__isnull=False),
                name="one_autosave_per_person_and_article",
            ),
            models.UniqueConstraint(
                fields=["created_by"],
                condition=Q(kind="autosave", article__isnull=True),
                name="one_new_article_autosave_per_person",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def author_name(self):
        """Who made it, as staff call them; "an import" for what no person saved."""
        if self.created_by is None:
            return "an import or script"
        return display_name(self.created_by)


class Presence(models.Model):
    """Someone has an article's page open: the autosave's heartbeat renews `last_seen`."""

    article = models.ForeignKey("articles.Article", models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    last_seen = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], name="one_presence_per_person")
        ]

    def __str__(self):
        return f"{self.user} on {self.article_id} at {self.last_seen:%H:%M}"
