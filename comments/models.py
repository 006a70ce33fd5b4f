from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from comments.text import render_comment_body

MAX_DEPTH = 3  # threads indent up to three levels: a comment, a reply, a reply to that


class CommentQuerySet(models.QuerySet):
    def approved(self):
        """Comments anyone may read: staff approved them, or staff wrote them."""
        return self.filter(status=self.model.Status.APPROVED)

    def pending(self):
        return self.filter(status=self.model.Status.PENDING)

    def for_page(self, article):
        """The approved comments of `article`, oldest first, as its page shows them."""
        return self.approved().filter(article=article).order_by("created_at", "id")


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for review"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        SPAM = "spam", "Spam"

    article = models.ForeignKey("articles.Article", models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", models.CASCADE, null=True, blank=True, related_name="replies"
    )
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    name = models.CharField(max_length=100)
    email = models.EmailField(max_length=254, help_text="Never published.")
    body = models.TextField(max_length=5000)
    body_html = models.TextField(editable=False, blank=True)
    notify_replies = models.BooleanField("email me when someone replies", default=False)
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    held_reasons = models.JSONField(default=list, blank=True, editable=False)
    is_staff_reply = models.BooleanField("staff reply", default=False, editable=False)
    staff_author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="comment_replies",
    )
    # Kept for abuse checks only, and purged after COMMENTS_KEEP_METADATA_DAYS.
    ip_address = models.GenericIPAddressField("IP address", null=True, blank=True, editable=False)
    user_agent = models.CharField(max_length=300, blank=True, editable=False)
    created_at = models.DateTimeField("submitted", default=timezone.now, editable=False)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    moderated_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            # The moderation queue: one status, newest first (the admin adds -id to any
            # ordering, so the index carries it too, or the database sorts the whole queue).
            models.Index(fields=["status", "-created_at", "-id"], name="comment_queue_idx"),
            # An article page: its approved comments in order.
            models.Index(fields=["article", "status", "created_at"], name="comment_article_idx"),
            # Known commenters, duplicates and flood control by email or address.
            models.Index(fields=["email", "created_at"], name="comment_email_idx"),
            models.Index(fields=["ip_address", "created_at"], name="comment_ip_idx"),
            models.Index(fields=["created_at"], name="comment_created_idx"),
        ]
        permissions = [("moderate_comment", "Can approve, reject and mark comments as spam")]

    def __str__(self):
        return f"{self.name}: {self.excerpt}"

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()  # so lookups by address can use an index
        self.body_html = render_comment_body(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#comment-{self.pk}"

    def get_admin_url(self):
        return reverse("admin:comments_comment_change", args=[self.pk])

    @property
    def excerpt(self):
        return Truncator(self.body).chars(80)


class SavedReply(models.Model):
    """A canned answer staff can pick when replying, e.g. how to get a treatment."""

    title = models.CharField(max_length=100, unique=True)
    body = models.TextField(max_length=5000)

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "saved replies"

    def __str__(self):
        return self.title


class BlockedWord(models.Model):
    """A word or phrase that holds a comment for review, whoever writes it."""

    phrase = models.CharField(
        max_length=100, unique=True, help_text="Matched as a whole word, ignoring case."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["phrase"]

    def __str__(self):
        return self.phrase

    def save(self, *args, **kwargs):
        self.phrase = self.phrase.strip().lower()
        super().save(*args, **kwargs)
