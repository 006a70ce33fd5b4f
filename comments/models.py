from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from comments import reader_help
from comments.phrases import compile_pattern
from comments.text import render_comment_body
from core.text import display_name

MAX_DEPTH = 3  # threads indent up to three levels: a comment, a reply, a reply to that


def depth_under(parent):
    """The depth a reply to `parent` is stored at (0 for a comment that answers no one): one
    below its parent, down to the deepest level, where replies to replies stay."""
    return 0 if parent is None else min(parent.depth + 1, MAX_DEPTH - 1)


class CommentQuerySet(models.QuerySet):
    def approved(self):
        """Comments anyone may read: staff approved them, or staff wrote them."""
        return self.filter(status=self.model.Status.APPROVED)

    def pending(self):
        return self.filter(status=self.model.Status.PENDING)

    def questions_for_staff(self):
        """Readers' questions still waiting for staff: asked, and not answered yet.

        A question is answered by a staff reply under it, or when staff say so by hand;
        staff can also mark any comment as needing an answer.
        """
        answered = self.model.objects.filter(is_staff_reply=True).values("parent_id")
        asked = (
            models.Q(is_question=True) & ~models.Q(answer=Answer.GIVEN) & ~models.Q(pk__in=answered)
        )
        return self.filter(
            asked | models.Q(answer=Answer.NEEDED),
            is_staff_reply=False,
            status__in=[self.model.Status.PENDING, self.model.Status.APPROVED],
        )

    def for_page(self, article):
        """The approved comments of `article`, oldest first, as its page shows them."""
        return self.approved().filter(article=article).order_by("created_at", "id")

    def conversations(self, article):
        """One row per conversation with approved comments on `article`, oldest first.

        Each row's `key` is the conversation's first comment; conversations are ordered by
        their first approved comment, so a page of them keeps its place as replies arrive.
        """
        return (
            self.approved()
            .filter(article=article)
            .annotate(key=Coalesce("thread_id", "id"))
            .values("key")
            .annotate(first=models.Min("created_at"))
            .order_by("first", "key")
        )


class Answer(models.TextChoices):
    """A moderator's own word on whether a comment still needs an answer from staff."""

    NEEDED = "needed", "Needs an answer"
    GIVEN = "given", "Answered"


class Comment(models.Model):
    Answer = Answer

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
    # The first comment of the conversation this one belongs to; empty on that comment
    # itself. An article's comments are shown in pages of whole conversations.
    thread = models.ForeignKey(
        "self", models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    name = models.CharField(max_length=100)
    email = models.EmailField(max_length=254, help_text="Never published.")
    body = models.TextField(max_length=5000)
    body_html = models.TextField(editable=False, blank=True)
    notify_replies = models.BooleanField(
        "email me when it is published, and when someone replies", default=False
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    held_reasons = models.JSONField(default=list, blank=True, editable=False)
    # The text as the writer sent it, when a moderator edited what the public sees; kept
    # privately and purged with the IP address after COMMENTS_KEEP_METADATA_DAYS.
    original_body = models.TextField(blank=True, editable=False)
    edited_by_moderator = models.BooleanField(default=False, editable=False)
    # Health-sensitive flags (comments/flags.py): the names of the categories it matched.
    flags = models.JSONField(default=list, blank=True, editable=False)
    is_urgent = models.BooleanField("urgent", default=False, editable=False)
    # Questions for staff: asked by the writer; answered by a staff reply or by hand.
    is_question = models.BooleanField("asks a question", default=False, editable=False)
    answer = models.CharField(
        "question for staff", max_length=12, choices=Answer, blank=True, editable=False
    )
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
            # The queue as moderators see it: urgent first, then newest (or oldest) first.
            models.Index(
                fields=["status", "-is_urgent", "-created_at", "-id"], name="comment_urgent_new_idx"
            ),
            models.Index(
                fields=["status", "-is_urgent", "created_at", "id"], name="comment_urgent_old_idx"
            ),
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
        if self.parent is not None and self.thread_id is None:
            self.thread_id = self.parent.thread_id or self.parent.pk
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        """Its permalink, which leads to the page of the conversation that holds it."""
        return reverse("comments:permalink", args=[self.pk])

    def get_admin_url(self):
        return reverse("admin:comments_comment_change", args=[self.pk])

    @property
    def excerpt(self):
        return Truncator(self.body).chars(80)


class PostInFlight(models.Model):
    """A comment being posted on PostgreSQL, from its place under the site-wide ceiling until
    it is stored (comments/screening.py): the row goes in the transaction that stores it."""

    taken_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"A comment being posted since {self.taken_at:%H:%M:%S}"


class Reason(models.Model):
    """Why a comment was not published, in words a moderator can send to its writer."""

    title = models.CharField(max_length=100, unique=True, help_text="What moderators pick.")
    email_text = models.TextField(
        "what the writer is told",
        max_length=3000,
        help_text="The heart of the email to the writer. Kind and plain: they may be unwell "
        "or grieving. Their comment is quoted below it.",
    )
    is_active = models.BooleanField("offered to moderators", default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "title"]
        verbose_name = "reason for not publishing"
        verbose_name_plural = "reasons for not publishing"

    def __str__(self):
        return self.title


class Event(models.Model):
    """One act on a comment, by a moderator or by the site: its history is these rows."""

    class Kind(models.TextChoices):
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        SPAM = "spam", "Marked as spam"
        REPLIED = "replied", "Replied in public"
        REPLIED_PRIVATELY = "replied_privately", "Replied privately by email"
        EDITED = "edited", "Edited the text"
        DELETED = "deleted", "Deleted"
        FLAGGED = "flagged", "Flagged"
        HELPED = "helped", "Shown the help written for its writer"
        UNFLAGGED = "unflagged", "Flag removed"
        NEEDS_ANSWER = "needs_answer", "Marked as needing an answer"
        ANSWERED = "answered", "Marked as answered"

    class Via(models.TextChoices):
        ADMIN = "admin", "The admin"
        EMAIL = "email", "A link in an email"
        SITE = "site", "The site, automatically"

    comment = models.ForeignKey(
        Comment, models.SET_NULL, null=True, blank=True, related_name="events"
    )
    # The comment's number, kept when the comment itself is deleted.
    comment_number = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=Kind)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    via = models.CharField(max_length=10, choices=Via, default=Via.ADMIN)
    at = models.DateTimeField(default=timezone.now)
    reason = models.ForeignKey(Reason, models.SET_NULL, null=True, blank=True, related_name="+")
    note = models.TextField(blank=True, help_text="A reply's text, a flag's name.")
    text_before = models.TextField(blank=True)
    text_after = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["comment", "at"], name="comment_event_idx")]
        verbose_name = "moderation event"

    def __str__(self):
        return f"{self.get_kind_display()}: comment {self.comment_number}"

    @property
    def who(self):
        if self.by is None:
            return "the site" if self.via == self.Via.SITE else "someone"
        return display_name(self.by)


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


class FlagCategoryQuerySet(models.QuerySet):
    def guidance_for(self, comment):
        """The categories whose guidance a moderator should read with `comment`: those it
        matched, and every urgent one when it is urgent (flagged by hand, say)."""
        wanted = models.Q(name__in=comment.flags)
        if comment.is_urgent:
            wanted |= models.Q(is_urgent=True)
        return self.filter(wanted, is_active=True).exclude(guidance="")


class FlagCategory(models.Model):
    """A kind of health-sensitive text that holds a comment for a closer look.

    Phrases match as whole words, ignoring case; patterns are regular expressions, matched
    with a time limit (comments/phrases.py). Nothing is rejected automatically: a match only
    adds a held reason naming the category, and an urgent category alerts moderators at once.
    """

    name = models.CharField(max_length=100, unique=True)
    phrases = models.TextField(blank=True, help_text="One word or phrase a line.")
    patterns = models.TextField(
        blank=True,
        help_text="One regular expression a line, for what phrases cannot say (phone "
        "numbers, say). Matched ignoring case.",
    )
    is_urgent = models.BooleanField(
        "urgent",
        default=False,
        help_text="Sort matching comments first, with a badge, and email moderators at once.",
    )
    guidance = models.TextField(
        "guidance for moderators",
        blank=True,
        help_text="Shown on the page of each matching comment and in the moderators' email: "
        "what to do, who to call. Lines starting with “- ” make a list; {helpline} is the "
        "helpline number and hours from Site details.",
    )
    reader_heading = models.CharField(
        "heading for the writer",
        max_length=100,
        blank=True,
        help_text="The heading of what the writer is shown, e.g. “You are not alone”.",
    )
    reader_text = models.TextField(
        "what the writer is shown",
        max_length=3000,
        blank=True,
        validators=[reader_help.validate],
        help_text="Shown at once to whoever posts a comment this category holds, above their "
        "waiting comment (and to them alone), and in the email that tells them it arrived, "
        "if they asked for emails. Plain text: a blank line starts a paragraph, a line "
        "starting with “- ” is a list item, [words](tel:988) is a link to call, "
        "[words](sms:988) to text, [words](https://…) a web page, and {helpline} is the "
        "helpline number and hours from Site details. Leave empty to show nothing.",
    )
    is_active = models.BooleanField("in use", default=True)

    objects = FlagCategoryQuerySet.as_manager()

    class Meta:
        ordering = ["-is_urgent", "name"]
        verbose_name_plural = "flag categories"

    def __str__(self):
        return self.name

    def phrase_list(self):
        return [line.strip().lower() for line in self.phrases.splitlines() if line.strip()]

    def pattern_list(self):
        return [line.strip() for line in self.patterns.splitlines() if line.strip()]

    def clean(self):
        problems = []
        for pattern in self.pattern_list():
            try:
                compile_pattern(pattern)
            except ValidationError as error:
                problems.extend(error.messages)
        if problems:
            raise ValidationError({"patterns": problems})


class ModeratorSettings(models.Model):
    """How one moderator wants to hear about comments waiting for review."""

    class Alerts(models.TextChoices):
        EACH = "each", "An email for each comment held for review"
        DAILY = "daily", "One email a day with every comment waiting, and urgent ones at once"
        URGENT = "urgent", "Only urgent comments, at once"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="moderator_settings"
    )
    alerts = models.CharField("email me", max_length=10, choices=Alerts, default=Alerts.EACH)

    class Meta:
        verbose_name_plural = "moderator settings"

    def __str__(self):
        return f"{self.user}: {self.get_alerts_display()}"
