"""Every change to autosaves and to who is editing: one person's unsaved work on an article.

An autosave is a Revision of kind "autosave", one per person and article, updated in place
as they type. It never touches the article: only pressing Save does, through
articles.publishing, and that supersedes the autosave (articles.revisions.prune deletes it).
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import Presence, Revision
from articles.sanitize import sanitize_body

Kind = Revision.Kind
EDITING_WINDOW = timedelta(minutes=2)  # someone seen this recently still has the page open
FORM_FIELDS = ["title", "slug", "summary", "body", "image", "category", "tags", "status"]


def from_form(form):
    """What an unsaved article form holds, as a revision's data, valid or not.

    Each field is read on its own, so a half-typed form (no title yet, a wrong date) is kept
    as far as it goes: a value that does not clean is kept as typed, or left out.
    """
    data = {}
    for name in [*FORM_FIELDS, "publish_at"]:
        field = form.fields.get(name)
        if field is None or field.disabled:
            continue
        raw = field.widget.value_from_datadict(form.data, form.files, form.add_prefix(name))
        try:
            value = field.clean(raw)
        except ValidationError:
            if name in ("title", "slug", "summary", "body"):
                data[name] = raw or ""
            continue
        if name in ("image", "category"):
            value = value.pk if value is not None else None
        elif name == "tags":
            value = sorted(tag.pk for tag in value)
        elif name == "publish_at":
            value = value.isoformat() if value else None
        data[name] = value
    if "body" in data:
        data["body"] = sanitize_body(data["body"])
    return data


def store(article, *, by, data, base=None):
    """Keep `data` as `by`'s autosave of `article` (None: the article they are starting).

    Returns the autosave, or None when it comes from a page opened before that person's own
    last save (`base`, the revision the page was opened at, is older): it is superseded.
    """
    if article is not None and base is not None:
        own_save = article.revisions.filter(kind=Kind.SAVED, created_by=by, pk__gt=base)
        if own_save.exists():
            return None
    data = {**data, "base": base}
    now = timezone.now()
    found = Revision.objects.autosaves().filter(article=article, created_by=by)
    if found.update(data=data, created_at=now):
        return found.get()
    try:
        with transaction.atomic():
            return Revision.objects.create(
                article=article, created_by=by, kind=Kind.AUTOSAVE, data=data, created_at=now
            )
    except IntegrityError:  # the same person's other request created it just now
        found.update(data=data, created_at=now)
        return found.get()


def own(article, user):
    """`user`'s autosave of `article` (None: of the article they are starting), or None."""
    return Revision.objects.autosaves().filter(article=article, created_by=user).first()


def discard(article, user):
    """Delete `user`'s autosave of `article`; return whether there was one."""
    deleted, _ = Revision.objects.autosaves().filter(article=article, created_by=user).delete()
    return bool(deleted)


def heartbeat(article, user):
    """Note that `user` has `article`'s page open now."""
    Presence.objects.update_or_create(
        article=article, user=user, defaults={"last_seen": timezone.now()}
    )


def others_editing(article, user):
    """Who else has had `article`'s page open in the last two minutes, latest first."""
    since = timezone.now() - EDITING_WINDOW
    present = Presence.objects.filter(article=article, last_seen__gte=since).exclude(user=user)
    return list(present.select_related("user").order_by("-last_seen"))


def forget_absent():
    """Delete the presences of pages closed long ago; return how many."""
    deleted, _ = Presence.objects.filter(last_seen__lt=timezone.now() - timedelta(days=1)).delete()
    return deleted
