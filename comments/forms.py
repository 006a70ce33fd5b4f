import time
import unicodedata

from django import forms
from django.conf import settings
from django.core import signing
from django.urls import reverse

from comments.models import Comment
from comments.text import PlainTextField

TIMESTAMP_SALT = "comments.form-timestamp"
EXPIRED = (
    "This form was opened too long ago. Please press “Post comment” again: your comment "
    "is still here."
)


# Characters that reorder the text around them: in a name they can disguise what it says.
BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

# In a cached page each visitor gets a timestamp signed when their page is served, through
# this page-cache placeholder (registered in comments/apps.py).
TIMESTAMP_PLACEHOLDER = "comment_timestamp"


def sign_timestamp(article_id, now=None):
    """Return a signed token saying when the form for `article_id` was handed out."""
    issued = int(now if now is not None else time.time())
    return signing.dumps([article_id, issued], salt=TIMESTAMP_SALT)


class CommentForm(forms.ModelForm):
    """The "Join the conversation" form. It works without JavaScript."""

    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    timestamp = forms.CharField(widget=forms.HiddenInput, error_messages={"required": EXPIRED})
    # Hidden from people; a form-filling robot fills it in.
    website = forms.CharField(
        required=False,
        label="Leave this field empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    # Unticked unless the visitor asked before (comments/visitor.py): details are then kept
    # in a signed cookie for COMMENTS_REMEMBER_DAYS, instead of for this visit only.
    remember = forms.BooleanField(
        required=False,
        label="Remember my name and email on this device",
        help_text="Leave this unticked on a shared or public computer.",
    )

    class Meta:
        model = Comment
        fields = ["body", "name", "email", "notify_replies"]
        labels = {
            "body": "Comment",
            "notify_replies": "Email me when my comment is published, and when someone replies",
        }
        help_texts = {  # {limit}: the field's own length, filled in by __init__
            "name": "Shown with your comment. Up to {limit} characters.",
            "email": "Never published. Up to {limit} characters.",
            "body": "Up to {limit} characters. Plain text; web addresses become links.",
        }
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            # The script keeps drafts itself; the browser refilling the box from history
            # would bring back a comment already sent.
            "body": forms.Textarea(attrs={"rows": 6, "data-draft": "", "autocomplete": "off"}),
        }
        field_classes = {"body": PlainTextField}
        error_messages = {
            "name": {"required": "Please tell us your name, or a name to show."},
            "email": {
                "required": "Please give your email address. It is never published.",
                "invalid": "This does not look like an email address. Please check it.",
            },
            "body": {"required": "Please write your comment."},
        }

    def __init__(self, *args, article, reply_to=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.article = article
        self.reply_to = None
        self.form_age = None
        if not self.is_bound:
            self.initial.setdefault("timestamp", sign_timestamp(article.pk))
            if reply_to is not None:
                self.initial["parent"] = reply_to.pk
                self.reply_to = reply_to
        for name in ("name", "email", "body"):
            limit = Comment._meta.get_field(name).max_length
            self.fields[name].max_length = limit
            self.fields[name].help_text = self.fields[name].help_text.format(limit=f"{limit:,}")
            self.fields[name].error_messages["max_length"] = (
                f"Please keep this under {limit:,} characters (it has %(show_value)s)."
            )
        self.action = reverse("comments:post", kwargs={"slug": article.slug})

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())  # one line, single spaces
        if any(unicodedata.category(char) == "Cc" or char in BIDI_CONTROLS for char in name):
            raise forms.ValidationError("Please use only letters, numbers and punctuation.")
        if not name:
            raise forms.ValidationError("Please tell us your name, or a name to show.")
        return name

    def clean_email(self):
        # Stored lowercased so that lookups by address can use an index.
        return self.cleaned_data["email"].strip().lower()

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError("Please write your comment.")
        return body

    def clean_timestamp(self):
        try:
            article_id, issued = signing.loads(self.cleaned_data["timestamp"], salt=TIMESTAMP_SALT)
        except (signing.BadSignature, TypeError, ValueError):
            raise forms.ValidationError(EXPIRED) from None
        age = time.time() - issued
        if article_id != self.article.pk or age > settings.COMMENTS_FORM_MAX_AGE or age < -60:
            raise forms.ValidationError(EXPIRED)
        self.form_age = age
        return self.cleaned_data["timestamp"]

    def clean_parent(self):
        parent_id = self.cleaned_data.get("parent")
        if parent_id is None:
            return None
        parent = (
            Comment.objects.approved()
            .filter(pk=parent_id, article=self.article)
            .select_related("article")
            .first()
        )
        if parent is None:
            raise forms.ValidationError(
                "The comment you are replying to is not available any more. You can post "
                "yours as a new comment instead."
            )
        self.reply_to = parent
        return parent

    def save(self, commit=True):
        comment = super().save(commit=False)
        comment.parent = self.cleaned_data.get("parent")
        if commit:
            comment.save()
        return comment

    def prepare_for_retry(self):
        """After an error, renew an expired timestamp and drop a reply target that is gone.

        A valid timestamp is kept, so a reader who corrects a typo is not taken for a robot
        that posts within seconds of loading the page.
        """
        self.data = self.data.copy()
        if self.form_age is None:
            self.data["timestamp"] = sign_timestamp(self.article.pk)
        if "parent" in self.errors:
            self.data["parent"] = ""

    @property
    def honeypot_filled(self):
        return bool(self.cleaned_data.get("website"))

    def fields_to_correct(self):
        """True when a field the reader sees is marked with an error (not only a wait, or
        a page that was open too long)."""
        return any(field.errors for field in self.visible_fields())

    def errors_for_hidden_fields(self):
        """Errors on hidden fields, which crispy cannot show next to a visible field."""
        return [error for name in ("parent", "timestamp") for error in self.errors.get(name, [])]
