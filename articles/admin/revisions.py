"""The article desk's revisions: the history list, autosave, the colleague warning, compare
and restore. The steps themselves are articles/revisions.py's, articles/autosave.py's and
articles/publishing.py's (restore); static/js/admin-autosave.js runs the page's half.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from articles import autosave, publishing, revisions
from articles.history import editing_warning, history, moment, moment_of
from articles.models import Revision
from core import when


def number(text):
    """`text` as a row's id, or None: only ASCII digits, few enough for any database."""
    text = text or ""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else None


def restoring(request, article):
    """The person's autosave that ?autosave=<id> asks to put in the form, or None."""
    wanted = number(request.GET.get("autosave"))
    if request.method != "GET" or wanted is None:
        return None
    mine = Revision.objects.autosaves().filter(created_by=request.user, article=article)
    return mine.filter(pk=wanted).first()


def opening(request, article):
    """What the article's form opens with: the person's autosave they chose to restore, or
    the article as it is, with the revision it is opened at (ArticleForm's conflict guard)."""
    draft = restoring(request, article)
    if draft is not None:
        values = {**revisions.values(draft), "base_revision": draft.data.get("base")}
        return {name: value for name, value in values.items() if value is not None}
    latest = revisions.latest_saved(article) if article is not None else None
    return {"base_revision": latest.pk if latest else 0}


def page_context(request, model_admin, article, object_id):
    """What an article's page shows of its revisions, autosave and who else is editing."""
    if object_id and (article is None or not model_admin.has_view_permission(request, article)):
        return {}  # the admin says "not found"
    context = {}
    if article is not None:
        context["revision_history"] = history(article)
        if not model_admin.has_change_permission(request, article):
            return context  # the page is read-only: nothing to autosave
    elif not model_admin.has_add_permission(request):
        return context
    context["autosave_seconds"] = settings.ARTICLES_AUTOSAVE_SECONDS
    if article is None:
        context["autosave_url"] = reverse("admin:articles_article_autosave_new")
    else:
        context["autosave_url"] = reverse("admin:articles_article_autosave", args=[article.pk])
        autosave.heartbeat(article, request.user)
        context["others_editing"] = editing_warning(autosave.others_editing(article, request.user))
    draft = restoring(request, article)
    if draft is not None:
        messages.info(
            request,
            f"Your unsaved changes from {moment(draft.created_at)} are in the form below; save "
            "to keep them.",
        )
    elif request.method == "GET":
        own = autosave.own(article, request.user)
        if own is not None:
            context["unsaved_draft"] = {"revision": own, "at": moment(own.created_at)}
    return context


def autosave_view(request, model_admin, object_id=None):
    """The page's autosave and heartbeat: keeps what was typed as the person's draft."""
    if request.method != "POST":
        return JsonResponse({"error": "Send the form with POST."}, status=405)
    article = None
    if object_id is not None:
        article = model_admin.get_object(request, unquote(object_id))
        if article is None or not model_admin.has_change_permission(request, article):
            return JsonResponse({"error": "You may not change this article."}, status=403)
    elif not model_admin.has_add_permission(request):
        return JsonResponse({"error": "You may not add articles."}, status=403)
    reply = {}
    if article is not None:
        autosave.heartbeat(article, request.user)
        reply["others"] = editing_warning(autosave.others_editing(article, request.user))
    if request.POST.get("_autosave") == "content":
        # Read field by field, without the article: only what was typed is kept.
        form_class = model_admin.get_form(request, article, change=article is not None)
        form = form_class(request.POST, request.FILES)
        kept = autosave.store(
            article,
            by=request.user,
            data=autosave.from_form(form),
            base=number(request.POST.get("base_revision")),
        )
        if kept is None:
            reply["error"] = (
                "Draft not saved: you saved this article in another window after opening "
                "this page. Reload the page to carry on from your last save."
            )
            return JsonResponse(reply, status=409)
        reply["saved"] = f"Draft saved at {moment(kept.created_at)}"
    return JsonResponse(reply)


def discard_view(request, model_admin, object_id=None):
    if request.method != "POST":
        raise Http404
    article = model_admin.get_object(request, unquote(object_id)) if object_id else None
    if object_id and article is None:
        raise Http404
    discarded = autosave.discard(article, request.user)
    if "json" in request.headers.get("Accept", ""):  # discarded in place by the page
        return JsonResponse({"discarded": discarded})
    if discarded:
        messages.success(request, "Your unsaved changes were discarded.")
    if article is None:
        return redirect("admin:articles_article_add")
    return redirect("admin:articles_article_change", article.pk)


def compare_view(request, model_admin, object_id):
    article = _article_or_404(request, model_admin, object_id)
    saved = article.revisions.saved().select_related("created_by")
    newer = _chosen(saved, request.GET.get("to")) or saved.first()
    older = _chosen(saved, request.GET.get("from"))
    if older is None and newer is not None:  # the one before it
        older = saved.filter(created_at__lte=newer.created_at, pk__lt=newer.pk).first()
    if newer is None or older is None or older == newer:
        messages.info(request, "Choose two different revisions to compare.")
        return redirect("admin:articles_article_change", article.pk)
    if (older.created_at, older.pk) > (newer.created_at, newer.pk):
        older, newer = newer, older
    context = {
        **_page_context(request, model_admin, article, "Compare revisions"),
        "older": older,
        "newer": newer,
        "older_at": moment(older.created_at),
        "newer_at": moment(newer.created_at),
        "changes": revisions.diff(older, newer),
        "can_restore": model_admin.has_change_permission(request, article),
    }
    return TemplateResponse(request, "admin/articles/article/revision_compare.html", context)


def restore_view(request, model_admin, object_id, revision_id):
    article = _article_or_404(request, model_admin, object_id)
    if not model_admin.has_change_permission(request, article):
        raise PermissionDenied
    revision = get_object_or_404(article.revisions.saved(), pk=revision_id)
    if request.method == "POST":
        try:
            missing = publishing.restore(revision, by=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, f"The revision was not restored: {message}")
            return redirect(request.path)
        model_admin.log_change(request, article, f"Restored the revision of {moment_of(revision)}.")
        messages.success(
            request,
            f"The revision of {moment_of(revision)} is restored: it is the article's newest "
            "revision.",
        )
        for what in missing:
            messages.warning(request, f"Not restored: the revision's {what}, deleted since.")
        return redirect("admin:articles_article_change", article.pk)
    current = revisions.latest_saved(article)
    context = {
        **_page_context(request, model_admin, article, "Restore this revision?"),
        "revision": revision,
        "revision_at": moment(revision.created_at),
        "changes": revisions.diff(current, revisions.as_restored(revision, current))
        if current
        else None,
        "publish_time": when.day_and_time(
            article.publish_at, timezone.get_current_timezone(), timezone.now()
        )
        if article.publish_at
        else "",
    }
    return TemplateResponse(request, "admin/articles/article/revision_restore.html", context)


def _article_or_404(request, model_admin, object_id):
    article = model_admin.get_object(request, unquote(object_id))
    if article is None or not model_admin.has_view_or_change_permission(request, article):
        raise Http404
    return article


def _page_context(request, model_admin, article, title):
    return {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "opts": article._meta,
        "original": article,
        "article": article,
        "media": model_admin.media,
    }


def _chosen(revisions_, text):
    chosen = number(text)
    return revisions_.filter(pk=chosen).first() if chosen is not None else None
