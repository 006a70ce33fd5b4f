from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout, Submit
from django import forms
from django.db.models import Q
from django.urls import reverse

from subscriptions.models import MailingList, Subscription


def label_of(mailing_list):
    return f"{mailing_list.name}: {mailing_list.description}"


class ListChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, mailing_list):
        return label_of(mailing_list)


class SubscribeForm(forms.Form):
    """Email and a box per list; the same answer whatever the address (it reveals nothing)."""

    email = forms.EmailField(
        label="Your email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": "Please give the email address the news should go to.",
            "invalid": "This does not look like an email address. Please check it.",
        },
    )
    lists = forms.MultipleChoiceField(
        label="Send me",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Please tick at least one of the lists.",
            "invalid_choice": "Please tick the lists from those shown.",
        },
    )
    # Hidden from people; a form-filling robot fills it in.
    website = forms.CharField(
        required=False,
        label="Leave this field empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, place="page", lists=None, **kwargs):
        # Each place on a page gets its own ids: the footer and the article both have a form.
        kwargs.setdefault("auto_id", f"{place}-subscribe-%s")
        super().__init__(*args, **kwargs)
        # The lists offered, read once for the page.
        self.offered = list(MailingList.objects.filter(is_public=True) if lists is None else lists)
        self.fields["lists"].choices = [
            (str(offered.pk), label_of(offered)) for offered in self.offered
        ]
        # Consent is never assumed: every box starts unticked, and the reader ticks what they
        # want.
        self.helper = FormHelper()
        # In pages everyone shares: no per-visitor token (core/origins.py guards the POST).
        self.helper.disable_csrf = True
        self.helper.form_action = reverse("subscriptions:subscribe")
        self.helper.form_class = "subscribe-form"
        # The site's own message, next to the field, rather than the browser's bubble.
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            "email",
            "lists",
            Div(Field("website"), css_class="comment-form__trap", aria_hidden="true"),
            Submit("subscribe", "Subscribe", css_class="btn-primary btn-lg"),
        )

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_lists(self):
        chosen = set(self.cleaned_data["lists"])
        return [offered for offered in self.offered if str(offered.pk) in chosen]

    @property
    def honeypot_filled(self):
        return bool(self.cleaned_data.get("website"))


class ManageForm(forms.Form):
    lists = ListChoiceField(
        queryset=MailingList.objects.all(),
        label="Send me",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, subscriber, **kwargs):
        super().__init__(*args, **kwargs)
        # The lists offered to readers, and any other the reader already receives (to leave).
        receives = subscriber.subscriptions.filter(status=Subscription.Status.CONFIRMED)
        self.fields["lists"].queryset = MailingList.objects.filter(
            Q(is_public=True) | Q(pk__in=receives.values("mailing_list"))
        )
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "lists", Submit("save", "Save my choices", css_class="btn-primary btn-lg")
        )
