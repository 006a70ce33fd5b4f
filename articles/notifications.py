"""Emails about an article's review: composed by the worker once the step has committed.

workflow.py queues these with `outbox.queue.enqueue` in the same transaction as the step.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse

from articles.models import Article, ReviewStep
from core import when
from core.text import display_name
from outbox.messages import Message, absolute, one_line, render
from outbox.queue import composer


def editors():
    """Active staff who may publish articles and have an email address."""
    can_publish = Q(
        groups__permissions__codename="publish_article",
        groups__permissions__content_type__app_label="articles",
    ) | Q(
        user_permissions__codename="publish_article",
        user_permissions__content_type__app_label="articles",
    )
    users = get_user_model().objects.filter(is_active=True, is_staff=True).exclude(email="")
    return users.filter(can_publish | Q(is_superuser=True)).distinct()


def _step(step_id, kind):
    return (
        ReviewStep.objects.filter(pk=step_id, kind=kind)
        .select_related("article__author", "by")
        .first()
    )


def _name(user):
    return display_name(user)


@composer
def article_submitted(step_id):
    """Tell every editor but the submitter that an article waits for review, with a link."""
    step = _step(step_id, ReviewStep.Kind.SUBMITTED)
    if step is None or step.article.status != Article.Status.REVIEW:
        return []  # published, sent back or deleted before the worker came to it
    article = step.article
    context = {
        "step": step,
        "article": article,
        "author": _name(article.author),
        "zone": when.zone_label(when.site_zone()),  # the worker renders in the site's zone
        "admin_url": absolute(reverse("admin:articles_article_change", args=[article.pk])),
        "waiting_url": absolute(waiting_url()),
    }
    text, html = render("articles/email/article_submitted", context)
    reply_to = {"Reply-To": step.by.email} if step.by and step.by.email else {}
    return [
        Message(
            key=f"article-submitted:{step.pk}:{editor.pk}",
            kind="article submitted",
            to=editor.email,
            subject=one_line(f"Waiting for review: “{article.title}” by {context['author']}"),
            text=text,
            html=html,
            headers=reply_to,
        )
        for editor in editors().exclude(pk=step.by_id)
    ]


@composer
def article_sent_back(step_id):
    """Tell the author what the editor asks them to change, with a link to the article."""
    step = _step(step_id, ReviewStep.Kind.SENT_BACK)
    if step is None:
        return []
    article = step.article
    author = article.author
    if not (author.is_active and author.email) or author.pk == step.by_id:
        return []
    context = {
        "step": step,
        "article": article,
        "author": _name(author),
        "admin_url": absolute(reverse("admin:articles_article_change", args=[article.pk])),
    }
    text, html = render("articles/email/article_sent_back", context)
    return [
        Message(
            key=f"article-sent-back:{step.pk}",
            kind="article sent back",
            to=author.email,
            subject=one_line(f"“{article.title}” was sent back to you by {step.who}"),
            text=text,
            html=html,
            headers={"Reply-To": step.by.email} if step.by and step.by.email else {},
        )
    ]


def waiting_url():
    """The admin's list of the articles waiting for review."""
    status = Article.Status.REVIEW
    return reverse("admin:articles_article_changelist") + f"?status__exact={status}"
