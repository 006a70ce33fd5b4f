from django.conf import settings
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
)
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django_prose_editor.fields import ProseEditorField

from articles import images, review_dates, sources
from articles.sanitize import sanitize_body
from core.text import display_name

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
}


def body_field(**options):
    """A rich-text field edited and sanitized as an article's body is."""
    return ProseEditorField(extensions=BODY_EXTENSIONS, sanitize=sanitize_body, **options)


class Category(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True, help_text="Shown at the top of the category page.")
    position = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers come first.")

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:category", kwargs={"slug": self.slug})


class Tag(models.Model):
    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:tag", kwargs={"slug": self.slug})


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

    def articles_using(self):
        """Articles showing this image, as featured image or in their body."""
        return Article.objects.filter(Q(image=self) | Q(body__contains=self.body_marker))

    @property
    def body_marker(self):
        """How an article body names this image (the editor's figure carries its id)."""
        return f'data-file="{self.pk}"'

    def is_public(self):
        return self.articles_using().published().exists()


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """Articles the public may see: published, and their publish time has come."""
        return self.filter(status=self.model.Status.PUBLISHED, publish_at__lte=timezone.now())

    def scheduled(self):
        """Articles that will go public by themselves, at their publish time."""
        return self.filter(status=self.model.Status.PUBLISHED, publish_at__gt=timezone.now())

    def gone_public_since(self, moment):
        """Published articles that readers could first see after `moment`.

        That is the later of the publish time and the moment an editor published it, so an
        article published today with last month's date counts as new today.
        """
        went_public = Greatest("publish_at", Coalesce("released_at", "publish_at"))
        return self.published().alias(went_public=went_public).filter(went_public__gt=moment)

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


class Source(models.Model):
    """A paper, report or page an article is based on, listed under its body."""

    article = models.ForeignKey(Article, models.CASCADE, related_name="sources")
    title = models.CharField(
        max_length=300, help_text="e.g. “Trial of antisense oligonucleotide tofersen for SOD1 ALS”."
    )
    publication = models.CharField(
        max_length=200,
        blank=True,
        help_text="Where and when it appeared, e.g. “New England Journal of Medicine, 2022”.",
    )
    url = models.CharField(
        "web address",
        max_length=500,
        blank=True,
        validators=[sources.validate_web_address],
        help_text="Starting with https://. Leave empty if you give a DOI.",
    )
    doi = models.CharField(
        "DOI",
        max_length=200,
        blank=True,
        validators=[sources.validate_doi],
        help_text="e.g. 10.1056/NEJMoa2204705. Readers are sent to https://doi.org/ and the DOI.",
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers come first.")

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.title

    def clean(self):
        if not self.url and not self.doi:
            raise ValidationError(
                {"url": "Give a web address or a DOI, so readers can find the source."}
            )

    @property
    def link(self):
        """Where readers go: the DOI's address when there is one (it outlives web pages)."""
        return sources.doi_link(self.doi) if self.doi else self.url


# Revisions, autosaves and who is editing live in a module of their own.
from articles.review_models import NOTE_MAX_LENGTH, ReviewStep  # noqa: E402, F401
from articles.revision_models import Presence, Revision  # noqa: E402, F401
