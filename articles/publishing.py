"""Every change to an article goes through here: writing, publishing, scheduling, images.

The twin of comments/moderation.py. `Article.save()` only stores; what pages show of an
article (its body's HTML with responsive pictures, its words for search, its reading time)
is worked out here, and each change marks cached pages stale in its own transaction.
"""

from django.db import connection, transaction
from django.db.models import Min
from django.utils import timezone

from articles import rendering
from articles.models import Article, Image, search_document
from articles.sanitize import sanitize_body
from pagecache.versions import bump

Status = Article.Status


def save(article):
    """Store `article` with what its pages show worked out from its body; return it.

    Published without a publish time, it is published now; a time in the future schedules
    it, and it appears by itself at that time.
    """
    with transaction.atomic():
        _store(article)
        bump()
    return article


def publish(articles):
    """Publish the drafts among `articles` now; return how many."""
    with transaction.atomic():
        drafts = articles.exclude(status=Status.PUBLISHED)
        now = timezone.now()
        count = Article.objects.filter(pk__in=list(drafts.values_list("pk", flat=True))).update(
            status=Status.PUBLISHED, publish_at=now, released_at=now, updated_at=now
        )
        if count:
            bump()
    return count


def unpublish(articles):
    """Return the published or scheduled articles among `articles` to draft; return how many."""
    with transaction.atomic():
        published = articles.filter(status=Status.PUBLISHED)
        count = Article.objects.filter(pk__in=list(published.values_list("pk", flat=True))).update(
            status=Status.DRAFT, updated_at=timezone.now()
        )
        if count:
            bump()
    return count


def save_image(image):
    """Store `image`, a new file cleaned and resized, and render the bodies showing it again.

    Bodies hold their pictures' HTML (renditions, size, alt text), so an image that changes
    changes every article that places it.
    """
    with transaction.atomic():
        image.save()
        for article in Article.objects.filter(body__contains=image.body_marker):
            _store(article)
        bump()
    return image


def next_publication():
    """When the next scheduled article goes public, or None (the page cache's hook)."""
    return Article.objects.scheduled().aggregate(first=Min("publish_at"))["first"]


def _store(article):
    article.body = sanitize_body(article.body)
    library = Image.objects.in_bulk(rendering.library_ids(article.body))
    article.body_html = rendering.render_body(article.body, library)
    article.body_text = rendering.plain_text(article.body)
    article.reading_minutes = rendering.reading_minutes(article.body_text)
    if article.status == Status.PUBLISHED:
        if article.publish_at is None:
            article.publish_at = timezone.now()
        if not Article.objects.filter(pk=article.pk, status=Status.PUBLISHED).exists():
            article.released_at = timezone.now()
    article.save()
    if connection.vendor == "postgresql":
        Article.objects.filter(pk=article.pk).update(search_vector=search_document())
