"""How the article admin tells an article's history: times as staff read them, the list of
revisions with what each changed, and who else is editing."""

from datetime import datetime

from django.utils import timezone

from articles import revisions
from articles.models import Article, Revision
from core.text import display_name

HISTORY_LENGTH = 100  # revisions listed on the change page, newest first


def moment(when):
    """A time as the page shows it: "10:42" today, "30 November 10:42" another day."""
    local, today = timezone.localtime(when), timezone.localdate()
    if local.date() == today:
        return f"{local:%H:%M}"
    if local.year == today.year:
        return f"{local:%-d %B %H:%M}"
    return f"{local:%-d %B %Y %H:%M}"


def editing_warning(present):
    """The sentence about someone else having the article open, one per person."""
    return [
        f"{display_name(p.user)} is also editing this article "
        f"(last active {moment(p.last_seen)}). Changes saved by one of you may overwrite "
        "the other's."
        for p in present
    ]


def moment_of(revision):
    return moment(revision.created_at)


def history(article):
    """The article's saved revisions, newest first, each with a line on what it changed."""
    listed = list(article.revisions.saved().select_related("created_by")[: HISTORY_LENGTH + 1])
    rows = []
    for index, revision in enumerate(listed[:HISTORY_LENGTH]):
        previous = listed[index + 1] if index + 1 < len(listed) else None
        rows.append(
            {
                "revision": revision,
                "at": moment(revision.created_at),
                "previous": previous,
                "summary": what_changed(revision, previous),
            }
        )
    return rows


def status_change(before, after, at):
    """What a change of status made at `at` did, in words: "Submitted for review"..."""
    status = after.get("status")
    if status == Article.Status.PUBLISHED:
        publish_at = after.get("publish_at")
        later = publish_at and datetime.fromisoformat(publish_at) > at
        return "Scheduled" if later else "Published"
    if status == Article.Status.REVIEW:
        return "Submitted for review"
    return "Sent back to draft" if before == Article.Status.REVIEW else "Returned to draft"


def what_changed(revision, previous):
    """A short line for the history list: "Published; changed title, body"."""
    parts = []
    if revision.kind == Revision.Kind.RESTORED and revision.data.get("restored_from"):
        when = moment(datetime.fromisoformat(revision.data["restored_from"]))
        parts.append(f"Restored the revision of {when}")
    if previous is None:
        return "; ".join(parts) or "The first revision kept"
    before, after = previous.data, revision.data
    if before.get("status") != after.get("status"):
        parts.append(status_change(before.get("status"), after, revision.created_at))
    changed = [
        label.lower() for label in revisions.changed_fields(before, after) if label != "Status"
    ]
    if changed:
        parts.append("changed " + ", ".join(changed))
    summary = "; ".join(parts) or "No changes"
    return summary[0].upper() + summary[1:]
