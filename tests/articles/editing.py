"""What the article admin's form sends, for tests that save articles as staff do."""

from django.urls import reverse
from django.utils import timezone

from articles import revisions
from tests.factories import NO_SOURCES


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def sent_form(article, *, opened_at=None, **overrides):
    """The change form of `article` as sent unchanged, opened at revision `opened_at`
    (the newest when not given), with `overrides` typed in."""
    local = timezone.localtime(article.publish_at) if article.publish_at else None
    if opened_at is None:
        latest = revisions.latest_saved(article)
        opened_at = latest.pk if latest else 0
    fields = {
        "title": article.title,
        "slug": article.slug,
        "author": article.author_id,
        "summary": article.summary,
        "body": article.body,
        "image": article.image_id or "",
        "category": article.category_id,
        "tags": [tag.pk for tag in article.tags.all()],
        "status": article.status,
        "publish_at_0": f"{local:%Y-%m-%d}" if local else "",
        "publish_at_1": f"{local:%H:%M:%S}" if local else "",
        "comments_open": "on" if article.comments_open else "",
        "base_revision": opened_at,
        **NO_SOURCES,
    }
    fields.update(overrides)
    return {name: value for name, value in fields.items() if value is not None}
