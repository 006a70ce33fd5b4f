"""The forms of the articles' desks. An article's page is one form, ArticleForm, told by
ArticleAdmin.get_form who is editing and what it opens with."""

from django import forms
from django.contrib.admin.widgets import AdminSplitDateTime
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from articles.history import moment
from articles.models import NOTE_MAX_LENGTH, Article, Image, Source
from articles.permissions import can_publish
from articles.sources import normalise_doi
from core.text import display_name

SUBMIT = "_submit_for_review"  # the name of the "Submit for review" button
SCHEDULE = "_schedule"  # the name of the "Schedule" button (an editor's)
Status = Article.Status


def note_field(**options):
    return forms.CharField(
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        **options,
    )


class ArticleForm(forms.ModelForm):
    """An article's page: its fields, a note for the editors, and the guard against saving
    over a colleague's newer save.

    ArticleAdmin.get_form sets, on the form class it makes for each request, `editor` (the
    person editing) and `opening` (a function giving the values the page opens with: the
    revision it was opened at, or the person's own autosave they chose to restore).
    """

    editor = None
    opening = None

    review_note = note_field(
        required=False,
        label="Note to the editors (optional)",
        help_text="Sent with “Submit for review”: what you would like checked, for example.",
    )
    # The form carries the id of the newest revision when it was opened; saving it when
    # someone else has saved since shows the form again, with what was typed, and an error
    # naming who saved and when, until "Save anyway" is ticked.
    base_revision = forms.IntegerField(required=False, widget=forms.HiddenInput)
    save_anyway = forms.BooleanField(required=False, label="Save anyway, replacing their changes")
    # The Schedule panel's time (articles/admin/dates.py): with its button, the article is
    # saved as published at that time, and goes public by itself then.
    schedule_at = forms.SplitDateTimeField(
        required=False, label="Goes public on", widget=AdminSplitDateTime
    )

    class Meta:
        model = Article
        fields = [
            "title", "slug", "author", "summary", "body", "image", "category", "tags",
            "status", "publish_at", "comments_open",
            "reviewed_by", "reviewer_name", "last_reviewed",
        ]  # fmt: skip
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        if not args and kwargs.get("data") is None and self.opening is not None:
            # Opened, not sent: what it opens with is read now, never when it is sent.
            kwargs["initial"] = {**(kwargs.get("initial") or {}), **self.opening()}
        super().__init__(*args, **kwargs)
        self.conflict = None
        for name in ("author", "reviewed_by"):
            if name in self.fields:  # absent on a page the person may only view
                self.fields[name].label_from_instance = display_name
        author = self.fields.get("author")
        if author is not None and self.editor is not None and not can_publish(self.editor):
            # Authors always write under their own name; the field shows it but cannot change.
            author.disabled = True
            author.initial = self.editor.pk
        article = self.instance
        if not self.is_bound and article.publish_at and article.publish_at > timezone.now():
            self.initial.setdefault("schedule_at", article.publish_at)  # its time to come
        status = self.fields.get("status")
        if status is not None and self.instance.status != Status.REVIEW:
            # "Waiting for review" is what Submit for review makes, with its email; an
            # editor publishes, schedules or sends a waiting article back.
            status.choices = [c for c in status.choices if c[0] != Status.REVIEW]

    def clean(self):
        cleaned = super().clean()
        submitting = SUBMIT in self.data and "body" in cleaned
        if submitting and not Article(body=cleaned["body"]).body_is_filled():
            self.add_error("body", "An article needs a body before it is submitted for review.")
        if SCHEDULE in self.data:
            self._schedule(cleaned)
        self._guard_against_conflicts(cleaned)
        return cleaned

    def _schedule(self, cleaned):
        """Schedule: the status Published and the time chosen, as an editor would set them
        under Publishing; publishing.save then schedules it (articles/workflow.py's store)."""
        if self.editor is None or not can_publish(self.editor) or "status" not in self.fields:
            raise forms.ValidationError("Only editors schedule articles.")
        at = cleaned.get("schedule_at")
        if "schedule_at" in self.errors:
            return
        if at is None:
            self.add_error("schedule_at", "Choose the day and the time it goes public.")
        elif at <= timezone.now():
            self.add_error(
                "schedule_at",
                "That time has passed: choose a later one. To publish now, set the status to "
                "Published under “Publishing” and save.",
            )
        else:
            cleaned["status"] = Status.PUBLISHED
            cleaned["publish_at"] = at

    def _guard_against_conflicts(self, cleaned):
        article = self.instance
        # A form from before this guard (or a script) carries no revision: not checked.
        if article.pk is None or "base_revision" not in self.data or cleaned.get("save_anyway"):
            return
        opened_at = cleaned.get("base_revision") or 0
        newer = article.revisions.saved().filter(pk__gt=opened_at).exclude(created_by=self.editor)
        self.conflict = newer.select_related("created_by").first()
        if self.conflict is None:
            return
        who = self.conflict.author_name
        compare = reverse("admin:articles_article_compare", args=[article.pk])
        self.add_error(
            "save_anyway",
            format_html(
                "{} saved this article at {}, after you opened it. Saving now would replace "
                'their changes with yours. <a href="{}?from={}&amp;to={}" target="_blank">See '
                "what they changed (opens in a new tab)</a>, then tick “Save anyway” below or "
                "copy your changes elsewhere.",
                who.capitalize() if self.conflict.created_by is None else who,
                moment(self.conflict.created_at),
                compare,
                opened_at,
                self.conflict.pk,
            ),
        )


class SourceForm(forms.ModelForm):
    class Meta:
        model = Source
        fields = ["title", "publication", "url", "doi", "position"]

    def clean_doi(self):
        # Pasted as https://doi.org/10.… or "doi: 10.…", it is stored bare.
        return normalise_doi(self.cleaned_data["doi"])


class SendBackForm(forms.Form):
    note = note_field(
        label="What should the author change?",
        help_text="The author reads this at the top of the article's page, and by email.",
        error_messages={"required": "Write what the author should change."},
    )


class PublishTimeEntry(forms.Form):
    """The publish time as the admin's two inputs send it, read in the editor's zone."""

    publish_at = forms.SplitDateTimeField(required=False)
    status = forms.ChoiceField(choices=Status.choices, required=False)


class ImageUploadForm(forms.ModelForm):
    class Meta:
        model = Image
        fields = ["title", "file", "alt_text", "caption", "credit"]
