"""The article: what is written, who wrote it, when it is public, how it is found."""

from django.conf import settings
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
)
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import BooleanField, ExpressionWrapper, F, Q
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django_prose_editor.fields import ProseEditorField

from articles import review_dates
from articles.models.filing import Category, Tag
from articles.models.picture import Image
from articles.models.workflow import ReviewStep
from articles.sanitize import sanitize_body
from core import clock
from core.text import display_name

# What the home page, the feeds and the sitemap answer to in a front cache: every article
# that goes public, changes or is withdrawn changes them.
LISTS_KEY = "lists"
SEARCH_MAX_RESULTS = 200  # the newest matches; readers are asked to add words beyond it
# What PostgreSQL's full-text search looks in, as indexed by migration 0006.
SEARCH_DOCUMENT_SQL = (
    "to_tsvector('english'::regconfig, COALESCE(\"articles_article\".\"title\", '') || ' ' || "
    "COALESCE(\"articles_article\".\"summary\", '') || ' ' || "
    'COALESCE("articles_article"."body_text", \'\'))'
)


# What staff may put in rich text: article bodies, and the site's own pages (pages/), are
# edited with these tools and cleaned by the same allowlist.
BODY_EXTENSIONS = {
    "Heading": {"levels": [2, 3, 4]},
    "Bold": True,
    "Italic": True,
    "Strike": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "Figure": {"pickerUrl": reverse_lazy("admin:articles_image_picker")},
    "Caption": True,
    "Image": True,
    # The browser's spell-check underlines typing mistakes, as in any other text box
    # (django-prose-editor turns it off unless told).
    "NoSpellCheck": False,
}


def body_field(**options):
    """A rich-text field edited and sanitized as an article's body is."""
    return ProseEditorField(extensions=BODY_EXTENSIONS, sanitize=sanitize_body, **options)


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """Articles the public may see: published, and their publish time has come.

        By the database's clock, which every app server shares: one whose own clock is behind
        cannot keep a scheduled article off the pages it renders once it is due.
        """
        return self.filter(status=self.model.Status.PUBLISHED, publish_at__lte=clock.database_now())

    def with_public_now(self):
        """Each article says whether it is public now by the database's clock, as published()
        does (`is_public` then uses it): every app server agrees on an article just due."""
        public = Q(status=self.model.Status.PUBLISHED, publish_at__lte=clock.database_now())
        return self.annotate(public_now=ExpressionWrapper(public, output_field=BooleanField()))

    def scheduled(self):
        """Articles that will go public by themselves, at their publish time."""
        return self.filter(status=self.model.Status.PUBLISHED, publish_at__gt=clock.database_now())

    def gone_public_since(self, moment):
        """Published articles that readers could first see after `moment`.

        That is the later of the publish time and the moment an editor published it, so an
        article published today with last month's date counts as new today.
        """
        went_public = Greatest("publish_at", Coalesce("released_at", "publish_at"))
        return self.published().alias(went_public=went_public).filter(went_public__gt=moment)

    def showing(self, image):
        """Articles showing `image`, as their featured image or in their body."""
        return self.filter(Q(image=image) | Q(body__contains=image.body_marker))

    def with_last_review(self):
        """Each article with `last_review_kind`: what its latest review step was, if any."""
        latest = ReviewStep.objects.filter(article=models.OuterRef("pk")).order_by("-at", "-id")
        return self.annotate(last_review_kind=models.Subquery(latest.values("kind")[:1]))

    def due_for_review(self, now=None):
        """Articles last reviewed ARTICLES_REVIEW_AFTER_MONTHS or more ago (review_dates.py)."""
        return self.filter(last_reviewed__lte=review_dates.latest_due_review(now))

    def for_lists(self):
        related = self.select_related("author", "category", "image")
        return related.defer("body", "body_text", "search_vector")

    def search(self, terms):
        """Return the articles matching `terms`, best match first."""
        terms = terms.strip()
        if connection.vendor == "postgresql":
            query = SearchQuery(terms, search_type="websearch", config="english")
            # The stored, GIN-indexed vector finds matches; only the newest are ranked, so a
            # word found in every article does not make every article be ranked.
            newest = self.filter(search_vector=query).order_by("-publish_at").values("pk")
            return (
                self.filter(pk__in=newest[:SEARCH_MAX_RESULTS])
                .annotate(rank=SearchRank(F("search_vector"), query))
                .order_by("-rank", "-publish_at")
            )
        matches = Q()
        for word in terms.split()[:10]:
            matches &= (
                Q(title__icontains=word) | Q(summary__icontains=word) | Q(body_text__icontains=word)
            )
        newest = self.filter(matches).order_by("-publish_at").values("pk")
        return self.filter(pk__in=newest[:SEARCH_MAX_RESULTS]).order_by("-publish_at")


def search_document():
    """What full-text search looks in, title words weighing most."""
    return (
        SearchVector("title", weight="A", config="english")
        + SearchVector("summary", weight="B", config="english")
        + SearchVector("body_text", weight="C", config="english")
    )


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        # An Author's finished draft, never public, waiting for an editor (articles/workflow.py).
        REVIEW = "review", "Waiting for review"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        help_text="The article's web address. Filled in from the title; change it only "
        "before publishing, or old links will break.",
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="articles")
    summary = models.TextField(
        max_length=400,
        help_text="One or two sentences for the home page, feeds and link previews.",
    )
    body = body_field()
    body_html = models.TextField(blank=True, editable=False)
    body_text = models.TextField(blank=True, editable=False)
    image = models.ForeignKey(
        Image,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="featured image",
        help_text="Shown at the top of the article and on the home page.",
    )
    category = models.ForeignKey(Category, models.PROTECT, related_name="articles")
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles")
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    publish_at = models.DateTimeField(
        "publish time",
        null=True,
        blank=True,
        help_text="Leave empty to publish as soon as the status is Published. "
        "A time in the future schedules the article: it appears by itself at that time.",
    )
    released_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When an editor last made it published (its publish time may be earlier).",
    )
    comments_open = models.BooleanField(
        default=True, help_text="Untick to close comments; approved comments stay visible."
    )
    comment_count = models.PositiveIntegerField(default=0, editable=False)
    # A health article's review: who checked it, and when (articles/review_dates.py).
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"is_staff": True},
        verbose_name="reviewed by (staff)",
        help_text="A member of staff who checked the article; or name a clinician below.",
    )
    reviewer_name = models.CharField(
        "reviewed by (clinician)",
        max_length=200,
        blank=True,
        help_text="e.g. “Dr Ana Ruiz, consultant neurologist”.",
    )
    last_reviewed = models.DateField(
        null=True,
        blank=True,
        help_text="Shown to readers under the byline. The admin lists the article as due "
        "for review again a set number of months after it.",
    )
    # PostgreSQL's full-text search reads this (GIN-indexed there); SQLite never fills it.
    search_vector = SearchVectorField(null=True, editable=False)
    reading_minutes = models.PositiveSmallIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-publish_at", "-id"]
        indexes = [models.Index(fields=["status", "-publish_at"], name="article_public_idx")]
        permissions = [("publish_article", "Can publish, schedule and edit any article")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

    @property
    def surrogate_key(self):
        """What the pages that show it answer to in a front cache (pagecache/keys.py): its own,
        its neighbours' (they link it) and the lists it is on."""
        return f"article-{self.pk}"

    def clean(self):
        errors = review_dates.review_errors(self)
        if self.status == self.Status.PUBLISHED and not self.body_is_filled():
            errors["body"] = "An article needs a body before it is published."
        if errors:
            raise ValidationError(errors)

    def body_is_filled(self):
        return bool(strip_tags(sanitize_body(self.body)).strip() or "<img" in (self.body or ""))

    @property
    def is_public(self):
        # Read with Article.objects.with_public_now(): as the database's clock says.
        if "public_now" in self.__dict__:
            return bool(self.public_now)
        return (
            self.status == self.Status.PUBLISHED
            and self.publish_at is not None
            and self.publish_at <= timezone.now()
        )

    @property
    def is_scheduled(self):
        return self.status == self.Status.PUBLISHED and not self.is_public

    @property
    def state_label(self):
        if self.is_scheduled:
            return "Scheduled"
        if self.status == self.Status.DRAFT and self.last_review_kind == ReviewStep.Kind.SENT_BACK:
            return "Sent back"
        return self.get_status_display()

    @cached_property
    def last_review_kind(self):
        """What the latest review step was ("" if none); `with_last_review()` reads it in bulk."""
        latest = self.review_steps.order_by("-at", "-id").values_list("kind", flat=True).first()
        return latest or ""

    @property
    def reviewer(self):
        """Who reviewed the article, as readers see it: the clinician, or the staff member's
        full name; "" when nobody did."""
        if self.reviewer_name.strip():
            return self.reviewer_name.strip()
        if self.reviewed_by_id:
            return display_name(self.reviewed_by)
        return ""

    @property
    def review_due(self):
        """The day the article is due for review again, or None if it was never reviewed."""
        return review_dates.due_date(self.last_reviewed) if self.last_reviewed else None

    @property
    def excerpt(self):
        return Truncator(self.summary).words(40)
