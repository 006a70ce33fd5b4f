import re

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.html import escape

MARKER = re.compile(r"\[\[([a-z_]+)\]\]")


class Content(models.Model):
    """What one or many emails say; each email fills the [[markers]] with its own values."""

    subject = models.CharField(max_length=300)
    text = models.TextField()
    html = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "contents"

    def __str__(self):
        return self.subject


class EmailQuerySet(models.QuerySet):
    def due(self, now, *, claim_timeout):
        """Emails to send now: queued, waiting to retry and due, or claimed by a worker that
        died (its claim is older than `claim_timeout`)."""
        Status = self.model.Status
        waiting = Q(status__in=[Status.QUEUED, Status.RETRYING], next_attempt_at__lte=now)
        abandoned = Q(status=Status.SENDING, claimed_at__lt=now - claim_timeout)
        return self.filter(waiting | abandoned)

    def to_address(self, address):
        return self.filter(to__iexact=address.strip())


class Email(models.Model):
    """One message to one address, and what became of it."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        RETRYING = "retrying", "Waiting to retry"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    # Unique: storing the same message twice (a task run again, a command restarted
    # half-way) stores it once, so it is sent once.
    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=60)
    batch = models.CharField(
        max_length=60, blank=True, db_index=True, help_text="A mailing this email is part of."
    )
    to = models.EmailField("to", max_length=254)
    content = models.ForeignKey(Content, models.CASCADE, related_name="emails")
    values = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = EmailQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="email_due_idx"),
            models.Index(fields=["to", "created_at"], name="email_to_idx"),
        ]

    def __str__(self):
        return f"{self.subject} → {self.to}"

    @property
    def subject(self):
        return self.fill(self.content.subject)

    def fill(self, template, *, html=False):
        """`template` with this email's values in its [[markers]] (escaped in HTML)."""
        values = self.values

        def value(match):
            if match.group(1) not in values:
                return match.group(0)  # not a marker of this email: the text says it
            text = str(values[match.group(1)])
            return escape(text) if html else text

        return MARKER.sub(value, template)
