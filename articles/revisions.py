"""Every change to an article's revisions: record, prune, restore, and compare them.

A revision is the article as it was after a save, kept as a snapshot (a JSON object) of its
title, summary, body, picture, category, tags, status and publish time. We keep our own small
model rather than django-reversion or django-simple-history: autosaves are one person's
drafts that must never touch the article, the snapshot holds exactly these fields (the tags
included), pruning has rules of its own, and both libraries record through signals, which
our flow does not use (see articles/publishing.py, which records here).
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from articles.models import Article, Category, Image, Revision, Tag
from articles.revision_diff import text_changes

Kind = Revision.Kind
# What a revision holds of the article, in the order changes are listed.
TEXT_FIELDS = {"title": "Title", "summary": "Summary", "body": "Body"}
OTHER_FIELDS = {
    "image": "Picture",
    "category": "Category",
    "tags": "Tags",
    "status": "Status",
    "publish_at": "Publish time",
}


def snapshot(article, tag_ids=None):
    """What `article` is now, as a revision stores it (its tags read unless given)."""
    if tag_ids is None:
        tag_ids = article.tags.values_list("pk", flat=True)
    return {
        "title": article.title,
        "slug": article.slug,
        "summary": article.summary,
        "body": article.body,
        "image": article.image_id,
        "category": article.category_id,
        "tags": sorted(tag_ids),
        "status": article.status,
        "publish_at": article.publish_at.isoformat() if article.publish_at else None,
    }


def record(article, *, by=None, kind=Kind.SAVED, tag_ids=None, restored_from=None):
    """Keep what `article` is now as its newest revision; return it.

    Called by articles.publishing inside the save's transaction, once the tags are stored.
    """
    data = snapshot(article, tag_ids)
    if restored_from is not None:
        data["restored_from"] = restored_from.created_at.isoformat()
    revision = Revision.objects.create(
        article=article, created_by=by, kind=kind, data=data, created_at=timezone.now()
    )
    prune([article.pk])
    return revision


def record_many(articles, *, by=None):
    """Keep a revision of each of `articles` (a queryset), as they are now; return how many."""
    articles, now = list(articles.prefetch_related("tags")), timezone.now()
    Revision.objects.bulk_create(
        Revision(
            article=article,
            created_by=by,
            created_at=now,
            kind=Kind.STATUS,
            data=snapshot(article, [tag.pk for tag in article.tags.all()]),
        )
        for article in articles
    )
    prune([article.pk for article in articles])
    return len(articles)


def prune(article_ids=None):
    """Delete the revisions no one needs any more, in one query; return how many went.

    Each article keeps its newest ARTICLES_REVISIONS_KEEP revisions and every revision
    younger than ARTICLES_REVISIONS_KEEP_DAYS. An autosave goes once its person has saved
    the article after it (it is superseded), or when it is older than those days.
    """
    cutoff = timezone.now() - timedelta(days=settings.ARTICLES_REVISIONS_KEEP_DAYS)
    revisions = Revision.objects.all()
    if article_ids is not None:
        revisions = revisions.filter(article__in=article_ids)
    newest_first = [F("created_at").desc(), F("id").desc()]
    beyond_the_newest = (
        revisions.saved()
        .annotate(rank=Window(RowNumber(), partition_by=F("article"), order_by=newest_first))
        .filter(rank__gt=settings.ARTICLES_REVISIONS_KEEP)
        .values("pk")
    )
    # Ranked among all the article's revisions; the age is checked outside the ranking.
    old_revision = Q(pk__in=beyond_the_newest, created_at__lt=cutoff)
    saved_since = Revision.objects.filter(
        kind=Kind.SAVED,
        article=OuterRef("article"),
        created_by=OuterRef("created_by"),
        created_at__gte=OuterRef("created_at"),
    )
    old_autosave = Q(kind=Kind.AUTOSAVE) & (Q(created_at__lt=cutoff) | Exists(saved_since))
    deleted, _ = revisions.filter(old_revision | old_autosave).delete()
    return deleted


def latest_saved(article):
    return article.revisions.saved().first() if article.pk else None


def values(revision):
    """The revision's values as the article's form takes them (its initial data)."""
    data = revision.data
    publish_at = data.get("publish_at")
    return {
        "title": data.get("title", ""),
        "slug": data.get("slug", ""),
        "summary": data.get("summary", ""),
        "body": data.get("body", ""),
        "image": data.get("image"),
        "category": data.get("category"),
        "tags": data.get("tags", []),
        "status": data.get("status", Article.Status.DRAFT),
        "publish_at": datetime.fromisoformat(publish_at) if publish_at else None,
    }


def as_restored(revision, current):
    """`revision` as restoring it onto the article, now `current`, would make it: with the
    current status and publish time (an unsaved Revision, for `diff`)."""
    kept = {name: current.data.get(name) for name in ("status", "publish_at")}
    return Revision(article_id=revision.article_id, data={**revision.data, **kept})


def diff(older, newer):
    """What changed from revision `older` to revision `newer`, for people to read.

    Returns {"text": [(label, changes)], "other": [(label, before, after)]}: the text
    fields as paragraphs of words kept, removed and added (articles.revision_diff), and
    the other fields that changed, each as names before and after.
    """
    before, after = older.data, newer.data
    text = [
        (label, text_changes(before.get(name, ""), after.get(name, ""), html=name == "body"))
        for name, label in TEXT_FIELDS.items()
        if before.get(name, "") != after.get(name, "")
    ]
    names = _names([before, after])
    other = [
        (label, _shown(name, before.get(name), names), _shown(name, after.get(name), names))
        for name, label in OTHER_FIELDS.items()
        if before.get(name) != after.get(name)
    ]
    return {"text": text, "other": other}


def changed_fields(older, newer):
    """The labels of the fields that differ between two revisions' data (older may be None)."""
    if older is None:
        return []
    labels = {**TEXT_FIELDS, **OTHER_FIELDS}
    return [label for name, label in labels.items() if older.get(name) != newer.get(name)]


def _names(datas):
    image_ids = {d.get("image") for d in datas} - {None}
    category_ids = {d.get("category") for d in datas} - {None}
    tag_ids = {tag for d in datas for tag in d.get("tags", [])}
    return {
        "image": {i.pk: i.title for i in Image.objects.filter(pk__in=image_ids)},
        "category": {c.pk: c.name for c in Category.objects.filter(pk__in=category_ids)},
        "tags": {t.pk: t.name for t in Tag.objects.filter(pk__in=tag_ids)},
    }


def _shown(name, value, names):
    if name == "status":
        return Article.Status(value).label if value in Article.Status.values else value
    if name == "publish_at":
        if not value:
            return "none"
        moment = timezone.localtime(datetime.fromisoformat(value))
        return f"{moment:%-d %B %Y, %H:%M}"
    if name == "tags":
        return ", ".join(names["tags"].get(t, "a deleted tag") for t in value) or "none"
    if value is None:
        return "none"
    gone = "a deleted picture" if name == "image" else "a deleted category"
    return names[name].get(value, gone)
