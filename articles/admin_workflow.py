"""The article admin's review: "Submit for review", the waiting list, "Send back to the author".

A mixin of ArticleAdmin (articles/admin.py); the steps themselves are articles/workflow.py.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from articles import workflow
from articles.models import NOTE_MAX_LENGTH, Article
from articles.permissions import can_publish, can_send_back, can_submit
from core.text import display_name

SUBMIT = "_submit_for_review"  # the button's name
Status = Article.Status


def waiting_url():
    return reverse("admin:articles_article_changelist") + f"?status__exact={Status.REVIEW}"


def note_field(**options):
    return forms.CharField(
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        **options,
    )


class SendBackForm(forms.Form):
    note = note_field(
        label="What should the author change?",
        help_text="The author reads this at the top of the article's page, and by email.",
        error_messages={"required": "Write what the author should change."},
    )


class ReviewFields(forms.Form):
    """What the article form adds for the review: the author's note, a body to review."""

    review_note = note_field(
        required=False,
        label="Note to the editors (optional)",
        help_text="Sent with “Submit for review”: what you would like checked, for example.",
    )

    def clean(self):
        cleaned = super().clean()
        submitting = SUBMIT in self.data and "body" in cleaned
        if submitting and not Article(body=cleaned["body"]).body_is_filled():
            self.add_error("body", "An article needs a body before it is submitted for review.")
        return cleaned


class ReviewAdminMixin:
    def get_form(self, request, obj=None, change=False, **kwargs):
        base = kwargs.get("form", self.form)
        kwargs["form"] = type(base.__name__, (ReviewFields, base), {})
        form = super().get_form(request, obj, change, **kwargs)
        status = form.base_fields.get("status")
        if status is not None and (obj is None or obj.status != Status.REVIEW):
            # "Waiting for review" is what Submit for review makes, with its email; an
            # editor publishes, schedules or sends a waiting article back.
            status.choices = [c for c in status.choices if c[0] != Status.REVIEW]
        return form

    def get_queryset(self, request):
        return super().get_queryset(request).with_last_review()

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        article = self.get_object(request, object_id) if object_id else None
        user = request.user
        context = {
            "review_step": workflow.latest_step(article) if article else None,
            "review_history": workflow.history(article) if article else [],
            # Editors publish: the button is the Authors' (workflow.submit lets editors too).
            "can_submit": not can_publish(user) and (article is None or can_submit(user, article)),
            "can_send_back": article is not None and can_send_back(user, article),
            "submit_name": SUBMIT,
        }
        return super().changeform_view(
            request, object_id, form_url, {**context, **(extra_context or {})}
        )

    def store_article(self, request, article, form):
        """ArticleAdmin.save_model's last step: submit, or store the edit as it is."""
        tags = form.cleaned_data.get("tags")
        if SUBMIT in request.POST:
            note = form.cleaned_data.get("review_note", "")
            try:
                workflow.submit(article, by=request.user, note=note, tags=tags)
            except workflow.Refused as refused:
                # It changed since the page checked (another tab, a colleague): the edit is
                # still kept, as a plain save, and the person told why it was not submitted.
                messages.warning(request, refused.message)
                workflow.store(article, by=request.user, tags=tags)
            else:
                request.review_submitted = True
        else:
            workflow.store(article, by=request.user, tags=tags)

    def response_add(self, request, obj, post_url_continue=None):
        if getattr(request, "review_submitted", False):
            return self._submitted(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if getattr(request, "review_submitted", False):
            return self._submitted(request, obj)
        return super().response_change(request, obj)

    def _submitted(self, request, article):
        self.message_user(
            request,
            f"“{article.title}” is waiting for review: the editors have been emailed. You "
            "can still edit it while it waits.",
            messages.SUCCESS,
        )
        return redirect("admin:articles_article_change", article.pk)

    def changelist_view(self, request, extra_context=None):
        if request.GET.get("status__exact") == Status.REVIEW:
            extra_context = {"title": "Articles waiting for review", **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        send_back = self.admin_site.admin_view(self.send_back_view)
        return [
            path("<int:pk>/send-back/", send_back, name="articles_article_send_back"),
            *super().get_urls(),
        ]

    def send_back_view(self, request, pk):
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
                author = display_name(article.author)
                self.message_user(
                    request,
                    f"“{article.title}” is back with {author} as a draft; they have been "
                    "emailed your note.",
                    messages.SUCCESS,
                )
                return redirect(waiting_url())
        context = {
            **self.admin_site.each_context(request),
            "title": f"Send “{article.title}” back to its author",
            "opts": self.model._meta,
            "original": article,
            "form": form,
            "review_step": workflow.latest_step(article),
            "change_url": reverse("admin:articles_article_change", args=[article.pk]),
        }
        return TemplateResponse(request, "admin/articles/article/send_back.html", context)
