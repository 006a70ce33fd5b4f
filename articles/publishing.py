"""Every change to an article goes through here: writing, publishing, scheduling, images.

The twin of comments/moderation.py. `Article.save()` only stores; what pages show of an
article (its body's HTML with responsive pictures, its words for search, its reading time)
is worked out here, and each change marks cached pages stale in its own transaction. Each
change also keeps a revision of the article (articles/revisions.py), in the same transaction;
restoring a revision is one of these changes.
"""

from django.db import connection, transaction
from django.db.models import Min
from django.urls import reverse
from django.utils import timezone

from articles import rendering, revisions
from articles.models import LISTS_KEY, Article, Category, Image, Tag, search_document
from articles.sanitize import sanitize_body
from pagecache import gone, purging
from pagecache.versions import bump

Status = Article.Status


def save(article, *, by=None, tags=None, kind=revisions.Kind.SAVED, restored_from=None):
    """Store `article` with what its pages show worked out from its body; return it.

    Published without a publish time, it is published now; a time in the future schedules
    it, and it appears by itself at that time. `tags` (tags or their ids), when given, become
    its tags. The article as stored, tags included, is kept as a revision made `by` that
    person (None: an import or a script), of `kind` saved or restored (of `restored_from`).
    """
    with transaction.atomic():
        was_public = _public_slugs([article.pk]) if article.pk else []
        _store(article)
        if article.status == Status.PUBLISHED:  # public now, or by itself at its time
            gone.put_back([article.get_absolute_url()])
        if was_public and (article.status != Status.PUBLISHED or was_public != [article.slug]):
            gone.taken_down(_addresses(was_public))  # back to draft, or its address changed
        if tags is not None:
            article.tags.set(tags)
            tags = [getattr(tag, "pk", tag) for tag in tags]
        revisions.record(article, by=by, kind=kind, tag_ids=tags, restored_from=restored_from)
        bump(lambda: shown_by(article))
        if article.is_scheduled:  # a front cache learns of it the moment it goes public
            purging.queue(lambda: shown_by(article), at=article.publish_at)
    return article


def restore(revision, *, by):
    """Put `revision`'s words, picture and filing back on its article as a new revision;
    return what is missing.

    What readers can see is not the restore's to change: the status and publish time stay
    as they are now (a draft stays a draft, a scheduled article keeps its time, one waiting
    for review keeps waiting, a live one stays live), and the slug never changes. Raises
    ValidationError when the result could not be saved (a published article with no body).
    Returns the names of what the revision had that is gone from the site: its picture,
    category or tags.
    """
    article, restored = revision.article, revisions.values(revision)
    missing = []
    article.title, article.summary = restored["title"], restored["summary"]
    article.body = restored["body"]
    image = Image.objects.filter(pk=restored["image"]).first() if restored["image"] else None
    if restored["image"] and image is None:
        missing.append("picture")
    article.image = image
    category = Category.objects.filter(pk=restored["category"]).first()
    if category is None:
        missing.append("category")
    else:
        article.category = category
    tag_ids = list(Tag.objects.filter(pk__in=restored["tags"]).values_list("pk", flat=True))
    if len(tag_ids) < len(restored["tags"]):
        missing.append("tags (some of them)")
    article.clean()
    save(article, by=by, tags=tag_ids, kind=revisions.Kind.RESTORED, restored_from=revision)
    return missing


def publish(articles, *, by=None):
    """Publish the drafts among `articles` now, each keeping a revision; return how many."""
    with transaction.atomic():
        drafts = articles.exclude(status=Status.PUBLISHED)
        now = timezone.now()
        changing = Article.objects.filter(pk__in=list(drafts.values_list("pk", flat=True)))
        count = changing.update(
            status=Status.PUBLISHED, publish_at=now, released_at=now, updated_at=now
        )
        if count:
            revisions.record_many(changing, by=by)
            bump()
            gone.put_back(_addresses(changing.values_list("slug", flat=True)))
    return count


def unpublish(articles, *, by=None):
    """Return the published or scheduled articles among `articles` to draft, each keeping a
    revision; return how many."""
    with transaction.atomic():
        published = articles.filter(status=Status.PUBLISHED)
        changing = Article.objects.filter(pk__in=list(published.values_list("pk", flat=True)))
        gone.taken_down(_addresses(_public_slugs(changing.values_list("pk", flat=True))))
        count = changing.update(status=Status.DRAFT, updated_at=timezone.now())
        if count:
            revisions.record_many(changing, by=by)
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
        showing = Article.objects.showing(image).values_list("pk", flat=True)
        bump(lambda: [LISTS_KEY, *(Article(pk=pk).surrogate_key for pk in showing)])
    return image


def set_comment_counts(article_ids, count):
    """Store each of `article_ids`' number of public comments: `count`, an expression the
    comments app gives (a subquery counting an article's approved comments)."""
    article_ids = list(article_ids)
    Article.objects.filter(pk__in=article_ids).update(comment_count=count)
    bump(lambda: [Article(pk=pk).surrogate_key for pk in article_ids])


def shown_by(article):
    """What a front cache must purge when `article` changes: the pages that show it (its
    own, the lists it is on, its neighbours'), the lists it joins (the home page, the feeds,
    the sitemap, its category's and its tags' pages) and the pages of its neighbours now."""
    keys = [article.surrogate_key, LISTS_KEY, Category(pk=article.category_id).surrogate_key]
    keys += [Tag(pk=pk).surrogate_key for pk in article.tags.values_list("pk", flat=True)]
    if article.publish_at is not None:
        public = Article.objects.published().exclude(pk=article.pk).only("pk")
        before = public.filter(publish_at__lt=article.publish_at).order_by("-publish_at").first()
        after = public.filter(publish_at__gt=article.publish_at).order_by("publish_at").first()
        keys += [neighbour.surrogate_key for neighbour in (before, after) if neighbour]
    return keys


def _public_slugs(pks):
    return list(Article.objects.published().filter(pk__in=pks).values_list("slug", flat=True))


def _addresses(slugs):
    """The addresses of the pages of the articles with these slugs."""
    return [reverse("articles:detail", kwargs={"slug": slug}) for slug in slugs]


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
