"""Submit for review: an Author says "ready", an editor publishes it or sends it back.

The review's verbs, beside articles/publishing.py (which stores the article row). Each step
is kept as a `ReviewStep` (who, when, the note), and the email it causes is queued through
the outbox in the same transaction: editors hear of a submission, the author of a sending
back. A waiting article is never public: only `Status.PUBLISHED` is (models.py).
"""

from django.db import transaction

from articles import notifications, publishing
from articles.models import NOTE_MAX_LENGTH, Article, ReviewStep, Revision
from articles.permissions import can_publish, can_send_back, can_submit
from outbox.queue import enqueue

Status = Article.Status
Kind = ReviewStep.Kind


class Refused(Exception):
    """A step that cannot be taken; `message` says why, for the person who tried."""

    def __init__(self, message, *, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


def submit(article, *, by, note="", tags=None):
    """Store `article` (a draft) as waiting for review, with `by`'s note; tell the editors.

    `article` may carry unsaved edits, or be new: it is stored as it is, with its status
    set to waiting. Returns the `ReviewStep`.
    """
    note = _checked(note, required=False)
    with transaction.atomic():
        if article.pk:
            stored = _locked(article)
            allowed = can_submit(by, stored)
        else:  # a new article: whatever status its form said, it goes in waiting
            stored = article
            allowed = by.has_perm("articles.add_article")
        if not allowed:
            raise Refused(
                f"“{stored.title}” cannot be submitted for review: it is "
                f"{stored.state_label.lower()}, and only a draft you may change can be."
            )
        article.status = Status.REVIEW
        publishing.save(article, by=by, tags=tags)
        step = ReviewStep.objects.create(article=article, kind=Kind.SUBMITTED, by=by, note=note)
        enqueue(notifications.article_submitted, step_id=step.pk)
    return step


def send_back(article, *, by, note):
    """Return a waiting `article` to draft with `by`'s note of what to change; tell its author.

    The article is stored as it was submitted: an editor's unsaved edits are not part of
    sending back. Returns the `ReviewStep`.
    """
    if not can_publish(by):
        raise Refused("Only editors send an article back to its author.")
    note = _checked(note, required=True)
    with transaction.atomic():
        stored = _locked(article)
        if not can_send_back(by, stored):
            raise Refused(
                f"“{stored.title}” is not waiting for review (it is "
                f"{stored.state_label.lower()}): nothing was sent back."
            )
        stored.status = Status.DRAFT
        publishing.save(stored, by=by, kind=Revision.Kind.STATUS)
        step = ReviewStep.objects.create(article=stored, kind=Kind.SENT_BACK, by=by, note=note)
        enqueue(notifications.article_sent_back, step_id=step.pk)
    article.status = stored.status
    return step


def store(article, *, by, tags=None):
    """Store `article` as `by` edited it (publishing.save); return it.

    A waiting article that an editor publishes or schedules ends its review, and the step
    says who did; one an author edits keeps waiting (the admin keeps its status).
    """
    with transaction.atomic():
        stored = Article.objects.filter(pk=article.pk).values_list("status", flat=True)
        was_waiting = article.pk is not None and stored.first() == Status.REVIEW
        publishing.save(article, by=by, tags=tags)
        if was_waiting and article.status == Status.PUBLISHED:
            ReviewStep.objects.create(article=article, kind=Kind.PUBLISHED, by=by)
    return article


def publish_now(articles, *, by):
    """Publish the drafts and waiting articles among `articles` now (publishing.publish),
    noting the end of each waiting one's review; return how many were published."""
    with transaction.atomic():
        waiting = list(articles.filter(status=Status.REVIEW).values_list("pk", flat=True))
        count = publishing.publish(articles, by=by)
        ReviewStep.objects.bulk_create(
            ReviewStep(article_id=pk, kind=Kind.PUBLISHED, by=by) for pk in waiting
        )
    return count


def waiting():
    """Articles waiting for an editor, the longest-waiting first."""
    return Article.objects.filter(status=Status.REVIEW).order_by("updated_at", "id")


def latest_step(article):
    """The article's latest review step, or None."""
    if article.pk is None:
        return None
    return article.review_steps.select_related("by").order_by("-at", "-id").first()


def history(article):
    """The article's review steps, newest first."""
    return list(article.review_steps.select_related("by").order_by("-at", "-id"))


def _locked(article):
    """The stored row of `article`, locked until the transaction ends (on PostgreSQL)."""
    return Article.objects.select_for_update().get(pk=article.pk)


def _checked(note, *, required):
    note = (note or "").strip()
    if required and not note:
        raise Refused("Write what the author should change.", field="note")
    if len(note) > NOTE_MAX_LENGTH:
        raise Refused(f"Keep the note under {NOTE_MAX_LENGTH:,} characters.", field="note")
    return note
