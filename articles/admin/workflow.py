"""The article desk's review: "Submit for review", the waiting list, "Send back to the author".

The steps themselves are articles/workflow.py's.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from articles import notifications, workflow
from articles.admin.forms import SUBMIT, SendBackForm
from articles.models import Article, ReviewStep
from articles.permissions import can_publish, can_send_back, can_submit
from core.text import display_name

Status = Article.Status


def page_context(request, article):
    """What an article's page shows of its review: the last step, the history, the buttons."""
    user = request.user
    return {
        "review_step": workflow.latest_step(article) if article else None,
        "review_history": workflow.history(article) if article else [],
        # Editors publish: the button is the Authors' (workflow.submit lets editors too).
        "can_submit": not can_publish(user) and (article is None or can_submit(user, article)),
        "can_send_back": article is not None and can_send_back(user, article),
        "submit_name": SUBMIT,
    }


def store(request, article, form):
    """The article's save: submitted for review, if that button was pressed, or stored."""
    tags = form.cleaned_data.get("tags")
    if SUBMIT not in request.POST:
        workflow.store(article, by=request.user, tags=tags)
        return
    note = form.cleaned_data.get("review_note", "")
    try:
        workflow.submit(article, by=request.user, note=note, tags=tags)
    except workflow.Refused as refused:
        # It changed since the page checked (another tab, a colleague): the edit is still
        # kept, as a plain save, and the person told why it was not submitted.
        messages.warning(request, refused.message)
        workflow.store(article, by=request.user, tags=tags)


def was_submitted(request, article):
    """Did this save submit `article` for review? Its newest step says so."""
    if SUBMIT not in request.POST or article.status != Status.REVIEW:
        return False
    step = workflow.latest_step(article)
    return (
        step is not None
        and step.kind == ReviewStep.Kind.SUBMITTED
        and step.by_id == request.user.pk
    )


def submitted(request, article):
    messages.success(
        request,
        f"“{article.title}” is waiting for review: the editors have been emailed. You can "
        "still edit it while it waits.",
    )
    return redirect("admin:articles_article_change", article.pk)


def send_back_view(request, pk, model_admin):
    """A small form: the note of what to change; sending returns the article to draft."""
    if not can_publish(request.user):
        raise PermissionDenied
    article = get_object_or_404(Article.objects.select_related("author"), pk=pk)
    if article.status != Status.REVIEW:
        messages.error(
            request,
            f"“{article.title}” is not waiting for review (it is "
            f"{article.state_label.lower()}): nothing was sent back.",
        )
        return redirect("admin:articles_article_change", article.pk)
    form = SendBackForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            workflow.send_back(article, by=request.user, note=form.cleaned_data["note"])
        except workflow.Refused as refusal:
            if refusal.field is None:
                messages.error(request, refusal.message)
                return redirect("admin:articles_article_change", article.pk)
            form.add_error(refusal.field, refusal.message)
        else:
            messages.success(
                request,
                f"“{article.title}” is back with {display_name(article.author)} as a draft; "
                "they have been emailed your note.",
            )
            return redirect(notifications.waiting_url())
    context = {
        **model_admin.admin_site.each_context(request),
        "title": f"Send “{article.title}” back to its author",
        "opts": Article._meta,
        "original": article,
        "form": form,
        "review_step": workflow.latest_step(article),
        "change_url": reverse("admin:articles_article_change", args=[article.pk]),
    }
    return TemplateResponse(request, "admin/articles/article/send_back.html", context)
