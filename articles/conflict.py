"""The article form's guard against saving over someone else's newer save."""

from django import forms
from django.urls import reverse
from django.utils.html import format_html

from articles.history import moment


def with_conflict_guard(base, user, initial):
    """`base`, the article's form, with the revision it was opened at and the conflict guard.

    The form carries the id of the newest revision when it was opened; saving it when
    someone else has saved since shows the form again, with what they typed, and an error
    naming who saved and when, until "Save anyway" is ticked.
    """

    class RevisionForm(base):
        base_revision = forms.IntegerField(required=False, widget=forms.HiddenInput)
        save_anyway = forms.BooleanField(
            required=False, label="Save anyway, replacing their changes"
        )

        def __init__(self, *args, **kwargs):
            if not args and kwargs.get("data") is None:  # opened, not sent
                kwargs["initial"] = {**(kwargs.get("initial") or {}), **initial()}
            super().__init__(*args, **kwargs)
            self.conflict = None

        def clean(self):
            cleaned = super().clean()
            article = self.instance
            # A form from before this guard (or a script) carries no revision: not checked.
            if article.pk is None or "base_revision" not in self.data:
                return cleaned
            if cleaned.get("save_anyway"):
                return cleaned
            opened_at = cleaned.get("base_revision") or 0
            newer = article.revisions.saved().filter(pk__gt=opened_at).exclude(created_by=user)
            self.conflict = newer.select_related("created_by").first()
            if self.conflict is not None:
                compare = reverse("admin:articles_article_compare", args=[article.pk])
                self.add_error(
                    "save_anyway",
                    format_html(
                        "{} saved this article at {}, after you opened it. Saving now would "
                        "replace their changes with yours. "
                        '<a href="{}?from={}&amp;to={}" target="_blank">See what they changed '
                        "(opens in a new tab)</a>, then tick “Save anyway” below or copy your "
                        "changes elsewhere.",
                        self.conflict.author_name.capitalize()
                        if self.conflict.created_by is None
                        else self.conflict.author_name,
                        moment(self.conflict.created_at),
                        compare,
                        opened_at,
                        self.conflict.pk,
                    ),
                )
            return cleaned

    return RevisionForm
