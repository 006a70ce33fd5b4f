"""The forms of the comments' desks: a comment's page, personal data, a moderator's alerts."""

import json

from django import forms
from django.conf import settings

from comments import moderation
from comments.admin.desk import STEPS
from comments.models import Comment, ModeratorSettings, Reason, SavedReply
from comments.text import PlainTextField

TEXT_MAX_LENGTH = Comment._meta.get_field("body").max_length


def text_box(**options):
    return PlainTextField(
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6, "cols": 80}),
        **options,
    )


class CommentAdminForm(forms.ModelForm):
    """A comment's page: a public reply, an edit of the text, a private answer, a reason.

    Every button sends the whole page; `step` says which was pressed (comments/admin/desk.py
    does it). What cannot be done comes back next to its box, with everything typed kept.
    """

    reply = text_box(
        label="Your reply",
        help_text="Posted with a Staff badge and your name when you press Approve (on an "
        "approved comment: Publish reply and edit).",
    )
    saved_reply = forms.ModelChoiceField(
        SavedReply.objects.all(),
        required=False,
        label="Start from a saved reply",
        help_text="Its text goes where the cursor is in the box you last used, keeping what "
        "you typed; adjust it before sending.",
    )
    public_text = text_box(
        label="Text the public will see",
        help_text="Edit it to remove a phone number, an address or a surname, then press "
        "Approve (on an approved comment: Publish reply and edit): the comment is published "
        "with this text and “(edited by a moderator)”. "
        f"The writer's own words are kept privately for {settings.COMMENTS_KEEP_METADATA_DAYS} "
        "days.",
    )
    reason = forms.ModelChoiceField(
        Reason.objects.filter(is_active=True),
        required=False,
        label="Reason for not publishing",
        empty_label="No reason: do not email the writer",
        help_text="Used by Reject. With a reason, the writer gets one kind email with its "
        "text. Spam is never answered.",
    )
    private_reply = text_box(
        label="Answer privately by email",
        help_text="Sent only to the writer when you press “Send privately”, above; nothing is "
        "published.",
    )
    then_reject = forms.BooleanField(
        label="and reject the comment",
        required=False,
        help_text="The reason chosen beside Reject is noted in its history, not emailed: your "
        "answer says it. Otherwise the comment stays as it is.",
    )

    class Meta:
        model = Comment
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reply"].widget.attrs["rows"] = 5  # with the actions, in the first screen
        bodies = {str(saved.pk): saved.body for saved in self.fields["saved_reply"].queryset}
        self.fields["saved_reply"].widget.attrs["data-saved-replies"] = json.dumps(bodies)
        if self.instance.pk and not self.is_bound:
            self.initial.setdefault("public_text", self.instance.body)

    @property
    def step(self):
        """The button pressed: one of desk.STEPS, or "" for Save (which sends none)."""
        step = self.data.get("step", "")
        return step if step in STEPS else ""

    def clean(self):
        cleaned = super().clean()
        step = self.step
        # Without JavaScript, a saved reply chosen with its box left empty is sent as it is:
        # as the private answer with "Send privately", as the public reply otherwise.
        saved = cleaned.get("saved_reply")
        box = "private_reply" if step == "private" else "reply"
        if saved and not cleaned.get(box, "").strip():
            cleaned[box] = saved.body
        reply = cleaned.get("reply", "").strip()
        if reply and step in ("reject", "spam", "private"):
            self.add_error(
                "reply",
                "You have typed a public reply. Post it with Approve, or empty the box, "
                "before rejecting, marking as spam or answering privately.",
            )
        problem = moderation.reply_problem(self.instance)
        if reply and problem and step != "approve":  # the reply goes out once approved
            self.add_error("reply", problem)
        if "public_text" in self.data and not cleaned.get("public_text", "").strip():
            self.add_error(
                "public_text",
                "The edited text is empty. Reject the comment instead, or keep some of its words.",
            )
        if step == "private":
            if not cleaned.get("private_reply", "").strip():
                self.add_error("private_reply", "Write the answer to send.")
            elif not self.instance.email:
                self.add_error("private_reply", "This comment has no email address to answer.")
        return cleaned

    def edited_text(self):
        """The text the moderator wants the public to see, if they changed it; else None."""
        if "public_text" not in self.data:
            return None
        text = self.cleaned_data.get("public_text", "").strip()
        return text if text != self.instance.body.strip() else None


class PersonalDataForm(forms.Form):
    email = forms.EmailField(
        label="Email address", max_length=Comment._meta.get_field("email").max_length
    )
    confirm = forms.BooleanField(
        required=False, label="The person asked for this, and I have checked it is them."
    )

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()  # as comments store it


class ModeratorSettingsForm(forms.ModelForm):
    class Meta:
        model = ModeratorSettings
        fields = ["alerts"]
        widgets = {"alerts": forms.RadioSelect}
