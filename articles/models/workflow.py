"""An article's review history: who submitted it, sent it back or published it, and notes.

Changed through articles/workflow.py; `save()` only stores.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from core.text import display_name

NOTE_MAX_LENGTH = 2000  # a review note: what to change, or a word to the editors


class ReviewStep(models.Model):
    """One step of an article's review, kept as its history (articles/workflow.py adds them)."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", "Submitted for review"
        SENT_BACK = "sent_back", "Sent back to the author"
        PUBLISHED = "published", "Published"

    article = models.ForeignKey("articles.Article", models.CASCADE, related_name="review_steps")
    kind = models.CharField(max_length=10, choices=Kind)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True, max_length=NOTE_MAX_LENGTH)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["article", "-at"], name="review_step_article_idx")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.article}"

    @property
    def who(self):
        if self.by is None:
            return "someone no longer on the staff"
        return display_name(self.by)
