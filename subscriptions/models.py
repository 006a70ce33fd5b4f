from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django_prose_editor.fields import ProseEditorField

from articles.sanitize import sanitize_body


class MailingList(models.Model):
    """Something readers can subscribe to, e.g. the monthly newsletter."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.CharField(
        max_length=300, help_text="One sentence shown next to the box readers tick."
    )
    is_digest = models.BooleanField(
        "weekly digest",
        default=False,
        help_text="Tick for the list that `manage.py send_digest` sends new articles to.",
    )
    is_public = models.BooleanField(
        "offered to readers", default=True, help_text="Untick to stop offering it on the site."
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers come first.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class Subscriber(models.Model):
    """An email address that asked for one or more lists."""

    email = models.EmailField(max_length=254, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    source = models.CharField(
        "signed up on", max_length=300, blank=True, help_text="The page the form was sent from."
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.email

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()  # one row per address, however it is typed
        super().save(*args, **kwargs)


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(status=self.model.Status.CONFIRMED)

    def pending(self):
        return self.filter(status=self.model.Status.PENDING)


class Subscription(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for confirmation"
        CONFIRMED = "confirmed", "Confirmed"
        LEFT = "left", "Unsubscribed"

    subscriber = models.ForeignKey(Subscriber, models.CASCADE, related_name="subscriptions")
    mailing_list = models.ForeignKey(MailingList, models.CASCADE, related_name="subscriptions")
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    requested_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "mailing_list"], name="one_subscription_per_list"
            )
        ]
        indexes = [models.Index(fields=["mailing_list", "status"], name="subscription_list_idx")]

    def __str__(self):
        return f"{self.subscriber} · {self.mailing_list}"


class SignUp(models.Model):
    """A sign-up form sent: kept a day, to limit confirmation emails per address and IP."""

    email = models.EmailField(max_length=254)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["email", "created_at"], name="signup_email_idx"),
            models.Index(fields=["ip_address", "created_at"], name="signup_ip_idx"),
        ]

    def __str__(self):
        return f"{self.email} at {self.created_at:%Y-%m-%d %H:%M}"


class Edition(models.Model):
    """One mailing to a list: a weekly digest, or an issue of the newsletter."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SENDING = "sending", "Sent"  # its emails are in the outbox (admin shows progress)

    mailing_list = models.ForeignKey(MailingList, models.PROTECT, related_name="editions")
    subject = models.CharField(max_length=200)
    introduction = ProseEditorField(
        extensions={
            "Heading": {"levels": [2, 3]},
            "Bold": True,
            "Italic": True,
            "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
            "BulletList": True,
            "OrderedList": True,
            "ListItem": True,
            "Blockquote": True,
            "HardBreak": True,
        },
        sanitize=sanitize_body,
        blank=True,
        help_text="A few words before the articles.",
    )
    articles = models.ManyToManyField(
        "articles.Article", blank=True, related_name="editions", help_text="Shown newest first."
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    # A digest is the one of its week: its Monday. Newsletter issues have none.
    week = models.DateField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    queued_at = models.DateTimeField(null=True, blank=True, editable=False)
    recipients = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["mailing_list", "week"], name="one_digest_a_week_per_list"
            )
        ]

    def __str__(self):
        return self.subject

    @property
    def batch(self):
        """The outbox's name for this edition's emails."""
        return f"edition:{self.pk}"

    def get_preview_url(self):
        return reverse("admin:subscriptions_edition_preview", args=[self.pk])
