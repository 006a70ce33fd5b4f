import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.timesince import timesince
from django.views.decorators.http import require_POST

from comments import moderation, privacy, reader_help, rules
from comments.admin_filters import (
    ArticleFilter,
    CappedPaginator,
    FlaggedFilter,
    OrderFilter,
    QuestionsFilter,
    StaffReplyFilter,
    StatusFilter,
)
from comments.models import (
    Answer,
    BlockedWord,
    Comment,
    Event,
    FlagCategory,
    ModeratorSettings,
    Reason,
    SavedReply,
)
from comments.text import PlainTextField
from core.csv_export import csv_response
from outbox.models import Email
from pages.models import SiteDetails

Status = Comment.Status
MODERATION_STEPS = {
    "approve": (moderation.approve, "approved"),
    "reject": (moderation.reject, "rejected"),
    "spam": (moderation.mark_spam, "marked as spam"),
}


class PersonalDataForm(forms.Form):
    email = forms.EmailField(label="Email address", max_length=254)
    confirm = forms.BooleanField(
        required=False, label="The person asked for this, and I have checked it is them."
    )

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()  # as comments store it


class CommentAdminForm(forms.ModelForm):
    reply = PlainTextField(
        label="Your reply",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6, "cols": 80}),
        help_text="Posted at once under this comment, with a Staff badge and your name, when "
        "you press Save or Approve. If the comment is waiting for review, replying approves it.",
    )
    saved_reply = forms.ModelChoiceField(
        SavedReply.objects.all(),
        required=False,
        label="Start from a saved reply",
        help_text="Picking one puts its text where the cursor is in the reply box you last "
        "used, keeping what you typed; adjust it before sending.",
    )
    public_text = PlainTextField(
        label="Text the public will see",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6, "cols": 80}),
        help_text="Edit it to remove a phone number, an address or a surname, then press "
        "Approve: the comment is published with this text and “(edited by a moderator)”. "
        "The writer's own words are kept privately for 90 days.",
    )
    reason = forms.ModelChoiceField(
        Reason.objects.filter(is_active=True),
        required=False,
        label="Reason for not publishing",
        empty_label="No reason: do not email the writer",
        help_text="Used by Reject. With a reason, the writer gets one kind email with its "
        "text. Spam is never answered.",
    )
    private_reply = PlainTextField(
        label="Answer privately by email",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6, "cols": 80}),
        help_text="Sent only to the writer, with “Send privately”; nothing is published.",
    )
    then_reject = forms.BooleanField(
        label="and reject the comment", required=False, help_text="Otherwise it stays as it is."
    )

    class Meta:
        model = Comment
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bodies = {str(saved.pk): saved.body for saved in self.fields["saved_reply"].queryset}
        self.fields["saved_reply"].widget.attrs["data-saved-replies"] = json.dumps(bodies)
        if self.instance.pk and not self.is_bound:
            self.initial.setdefault("public_text", self.instance.body)

    def clean(self):
        cleaned = super().clean()
        # Without JavaScript, a saved reply chosen with its box left empty is sent as it is:
        # as the private answer with "Send privately", as the public reply otherwise.
        saved = cleaned.get("saved_reply")
        box = "private_reply" if self.data.get("step") == "private" else "reply"
        if saved and not cleaned.get(box, "").strip():
            cleaned[box] = saved.body
        problem = moderation.reply_problem(self.instance)
        approving = self.data.get("step") == "approve"  # the reply goes out once approved
        if cleaned.get("reply", "").strip() and problem and not approving:
            self.add_error("reply", problem)
        if "public_text" in self.data and not cleaned.get("public_text", "").strip():
            self.add_error(
                "public_text",
                "The edited text is empty. Reject the comment instead, or keep some of its words.",
            )
        return cleaned

    def edited_text(self):
        """The text the moderator wants the public to see, if they changed it; else None."""
        if "public_text" not in self.data:
            return None
        text = self.cleaned_data.get("public_text", "").strip()
        return text if text != self.instance.body.strip() else None


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    form = CommentAdminForm
    list_display = ["excerpt", "why_held", "article_link", "name", "waited", "status"]
    list_display_links = ["excerpt"]
    list_filter = [
        StatusFilter, OrderFilter, FlaggedFilter, QuestionsFilter, ArticleFilter, StaffReplyFilter,
    ]  # fmt: skip
    search_fields = ["name", "email", "body"]
    list_select_related = ["article"]
    list_per_page = 50
    paginator = CappedPaginator
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER  # counting every filter choice is slow on a big queue
    ordering = ["-is_urgent", "-created_at", "-id"]  # as comment_urgent_new_idx holds them
    actions = [
        "approve_selected", "reject_selected", "mark_spam_selected",
        "mark_needs_answer", "mark_answered", "mark_urgent", "mark_not_urgent",
    ]  # fmt: skip
    readonly_fields = [
        "article_link", "thread", "name", "email", "text", "status", "why_held", "question",
        "notify_replies", "created_at", "moderation_record", "ip_address", "user_agent",
        "original_text", "history",
    ]  # fmt: skip
    fieldsets = [
        (None, {"fields": ["article_link", "thread", "name", "email", "text", "status"]}),
        ("Why it was held", {"fields": ["why_held", "question"]}),
        ("Reply in public", {"fields": ["saved_reply", "reply"]}),
        ("Edit before publishing", {"fields": ["public_text", "original_text"]}),
        ("Answer privately", {"fields": ["private_reply", "then_reject"]}),
        ("Not publishing it", {"fields": ["reason"]}),
        ("History", {"fields": ["history"]}),
        (
            "Record",
            {
                "fields": [
                    "notify_replies",
                    "created_at",
                    "moderation_record",
                    "ip_address",
                    "user_agent",
                ],  # fmt: skip
                "classes": ["collapse"],
            },
        ),
    ]

    class Media:
        css = {"all": ["css/admin.css"]}
        js = ["js/admin-saved-replies.js"]

    @admin.display(description="Comment")
    def excerpt(self, comment):
        badges = ""
        if comment.is_urgent:
            badges = mark_safe('<span class="urgent-badge">Urgent</span> ')
        return format_html("{}{}", badges, comment.excerpt)

    @admin.display(description="Waiting", ordering="created_at")
    def waited(self, comment):
        since = timesince(comment.created_at, depth=1)
        return format_html(
            '<span title="{}">{}</span>',
            date_format(timezone.localtime(comment.created_at), "DATETIME_FORMAT"),
            since,
        )

    @admin.display(description="Question for staff")
    def question(self, comment):
        if comment.answer == Answer.NEEDED:
            return "Needs an answer (marked by staff)"
        if comment.answer == Answer.GIVEN:
            return "Answered (marked by staff)"
        if comment.is_staff_reply:
            return "—"
        answered = comment.replies.filter(is_staff_reply=True).exists()
        if comment.is_question:
            return (
                "Asks a question; answered by staff"
                if answered
                else ("Asks a question, not yet answered by staff")
            )
        return "—"

    @admin.display(description="As the writer sent it")
    def original_text(self, comment):
        if not comment.edited_by_moderator:
            return "Not edited."
        if not comment.original_body:
            return "Edited; the original was forgotten after the keeping period."
        return format_html('<div class="comment-history__text">{}</div>', comment.original_body)

    @admin.display(description="What happened")
    def history(self, comment):
        events = comment.events.select_related("by", "reason").order_by("at", "pk")
        if not events:
            return "Nothing yet."
        return format_html(
            '<ol class="comment-history">{}</ol>',
            format_html_join("", "<li>{}</li>", ((describe(event),) for event in events)),
        )

    @admin.display(description="Article", ordering="article__title")
    def article_link(self, comment):
        title = comment.article.title
        short = title if len(title) <= 40 else title[:38].rstrip() + "…"
        return format_html(
            '<a href="{}" title="{}">{}</a>', comment.get_absolute_url(), title, short
        )

    @admin.display(description="Why held")
    def why_held(self, comment):
        if not comment.held_reasons:
            return "—"
        return format_html_join("", "<div>{}</div>", ((reason,) for reason in comment.held_reasons))

    @admin.display(description="Comment")
    def text(self, comment):
        # body_html is the comment's own text, escaped when it was saved.
        return format_html('<div class="comment-text">{}</div>', mark_safe(comment.body_html))

    @admin.display(description="In the conversation")
    def thread(self, comment):
        parts = []
        if comment.parent_id:
            parent = comment.parent
            parts.append(
                format_html(
                    '<p>In reply to <a href="{}">{}</a>: “{}”</p>',
                    reverse("admin:comments_comment_change", args=[parent.pk]),
                    parent.name,
                    parent.excerpt,
                )
            )
        for reply in comment.replies.order_by("created_at"):
            badge = " (staff)" if reply.is_staff_reply else ""
            parts.append(
                format_html(
                    '<p>Reply from <a href="{}">{}</a>{} · {}: “{}”</p>',
                    reverse("admin:comments_comment_change", args=[reply.pk]),
                    reply.name,
                    badge,
                    reply.get_status_display(),
                    reply.excerpt,
                )
            )
        return format_html_join("", "{}", ((part,) for part in parts)) if parts else "—"

    @admin.display(description="Moderated")
    def moderation_record(self, comment):
        if not comment.moderated_at:
            return "Not yet"
        who = "someone"
        if comment.moderated_by:
            who = comment.moderated_by.get_full_name() or comment.moderated_by.get_username()
        when = date_format(timezone.localtime(comment.moderated_at), "DATETIME_FORMAT")
        return f"{comment.get_status_display()} by {who}, {when}"

    def has_add_permission(self, request):
        return False  # comments come from readers; staff answer with "Reply"

    def has_moderate_permission(self, request):
        return request.user.has_perm("comments.moderate_comment")

    def _run(self, request, queryset, step, **options):
        do, done = MODERATION_STEPS[step]
        count = do(queryset, by=request.user, **options)
        self.message_user(request, f"{count} comment(s) {done}.", messages.SUCCESS)

    @admin.action(description="Approve selected comments", permissions=["moderate"])
    def approve_selected(self, request, queryset):
        self._run(request, queryset, "approve")

    @admin.action(description="Reject selected comments", permissions=["moderate"])
    def reject_selected(self, request, queryset):
        self._run(request, queryset, "reject")

    @admin.action(description="Mark selected comments as spam", permissions=["moderate"])
    def mark_spam_selected(self, request, queryset):
        self._run(request, queryset, "spam")

    @admin.action(description="Question for staff: needs an answer", permissions=["moderate"])
    def mark_needs_answer(self, request, queryset):
        count = moderation.mark_answer(queryset, Answer.NEEDED, by=request.user)
        self.message_user(request, f"{count} comment(s) marked as needing an answer.")

    @admin.action(description="Question for staff: answered", permissions=["moderate"])
    def mark_answered(self, request, queryset):
        count = moderation.mark_answer(queryset, Answer.GIVEN, by=request.user)
        self.message_user(request, f"{count} comment(s) marked as answered.")

    @admin.action(description="Flag as urgent", permissions=["moderate"])
    def mark_urgent(self, request, queryset):
        count = moderation.set_urgent(queryset, True, by=request.user)
        self.message_user(request, f"{count} comment(s) flagged as urgent.")

    @admin.action(description="Remove the urgent flag", permissions=["moderate"])
    def mark_not_urgent(self, request, queryset):
        count = moderation.set_urgent(queryset, False, by=request.user)
        self.message_user(request, f"{count} comment(s) no longer urgent.")

    def save_model(self, request, obj, form, change):
        # The comment itself is read-only here; saving only posts the reply, if any.
        text = form.cleaned_data.get("reply", "").strip()
        edited = form.edited_text()
        obj.staff_reply = None
        obj.unsaved_edit = bool(edited) and not text
        if text:
            if not self.has_moderate_permission(request):
                raise PermissionDenied
            if edited:  # the reply publishes the comment: with the moderator's edit
                moderation.edit_and_approve(obj, by=request.user, text=edited)
                obj.refresh_from_db()
            obj.staff_reply = moderation.reply(obj, by=request.user, body=text)

    def log_change(self, request, obj, message):
        if obj.staff_reply is not None:
            super().log_change(request, obj, f"Replied: {obj.staff_reply.excerpt}")

    def response_change(self, request, obj):
        if obj.staff_reply is not None:
            self.message_user(request, f"Your reply to {obj.name} is published.", messages.SUCCESS)
        elif obj.unsaved_edit:
            self.message_user(
                request,
                "Your edit of the text is not saved yet: press Approve to publish the comment "
                "with it.",
                messages.WARNING,
            )
        else:
            self.message_user(
                request,
                "Nothing was changed: type a reply, or use Approve, Reject, Mark as spam or "
                "Send privately.",
                messages.INFO,
            )
        if "_continue" in request.POST or obj.staff_reply is None:
            return redirect(request.path)
        return redirect("admin:comments_comment_changelist")

    def save_related(self, request, form, formsets, change):
        pass

    def delete_model(self, request, obj):
        moderation.delete(Comment.objects.filter(pk=obj.pk), by=request.user)

    def delete_queryset(self, request, queryset):
        moderation.delete(queryset, by=request.user)

    def get_urls(self):
        moderate = self.admin_site.admin_view(require_POST(self.moderate_view))
        personal = self.admin_site.admin_view(self.personal_data_view)
        alerts = self.admin_site.admin_view(self.moderator_settings_view)
        return [
            path("<int:pk>/moderate/", moderate, name="comments_comment_moderate"),
            path("personal-data/", personal, name="comments_comment_personal_data"),
            path("my-alerts/", alerts, name="comments_moderator_settings"),
            *super().get_urls(),
        ]

    def moderator_settings_view(self, request):
        """Each moderator's own page: how they want to hear about comments."""
        if not self.has_moderate_permission(request):
            raise PermissionDenied
        current, _ = ModeratorSettings.objects.get_or_create(user=request.user)
        bound = request.method == "POST"
        form = ModeratorSettingsForm(request.POST if bound else None, instance=current)
        if bound and form.is_valid():
            form.save()
            self.message_user(request, f"Saved: {current.get_alerts_display().lower()}.")
            return redirect("admin:comments_moderator_settings")
        context = {
            **self.admin_site.each_context(request),
            "title": "How you hear about comments",
            "opts": self.model._meta,
            "form": form,
            "has_email": bool(request.user.email),
        }
        return TemplateResponse(request, "admin/comments/comment/my_alerts.html", context)

    def personal_data_view(self, request):
        """Export or erase everything stored with one email address."""
        if not self.has_moderate_permission(request):
            raise PermissionDenied
        form = PersonalDataForm(request.POST or request.GET or None)
        context = {
            **self.admin_site.each_context(request),
            "title": "Commenters' personal data",
            "opts": self.model._meta,
            "form": form,
            "can_delete": self.has_delete_permission(request),
        }
        if form.is_valid():
            email = form.cleaned_data["email"]
            step = request.POST.get("step") if request.method == "POST" else None
            if step == "export":
                data = json.dumps(privacy.export(email, request=request), indent=2)
                response = HttpResponse(data, content_type="application/json")
                filename = f"comments-{slugify(email)}.json"
                response["Content-Disposition"] = f'attachment; filename="{filename}"'
                return response
            if step in ("anonymise", "delete"):
                if not form.cleaned_data["confirm"]:
                    form.add_error("confirm", "Tick this box to confirm the request.")
                elif step == "delete" and not context["can_delete"]:
                    raise PermissionDenied
                else:
                    count = (privacy.anonymise if step == "anonymise" else privacy.delete)(email)
                    done = "anonymised" if step == "anonymise" else "deleted"
                    self.message_user(
                        request,
                        f"{count} comment(s) by {email} {done}; their subscriptions and the "
                        "emails sent to them are forgotten.",
                    )
                    return redirect(f"{request.path}?{urlencode({'email': email})}")
            context["comments"] = privacy.comments_of(email)
            context["subscriptions"] = privacy.subscriptions_of(email)
            context["emails"] = privacy.emails_to(email)
        return TemplateResponse(request, "admin/comments/comment/personal_data.html", context)

    def moderate_view(self, request, pk):
        """The Approve, Reject, Spam and Send privately buttons of a comment's page.

        They send the whole page. Approve publishes the text in "Text the public will
        see" (a moderator's redaction, when it was changed) and posts a typed reply with
        it. Reject sends the chosen reason's email. Send privately emails the written
        answer. Whatever cannot be done comes back on the page with what was typed.
        """
        if not self.has_moderate_permission(request):
            raise PermissionDenied
        comment = get_object_or_404(Comment, pk=pk)
        form = CommentAdminForm(request.POST, instance=comment)
        step = request.POST.get("step")
        if step not in (*MODERATION_STEPS, "private"):
            messages.error(request, "Choose Approve, Reject, Mark as spam or Send privately.")
            return redirect("admin:comments_comment_change", pk)
        if not form.is_valid():
            return self._change_page_keeping(request, comment, form)
        data = form.cleaned_data
        text = data.get("reply", "").strip()
        if text and step != "approve":
            form.add_error(
                "reply",
                "You have typed a public reply. Post it with Save or Approve, or empty the box, "
                "before rejecting, marking as spam or answering privately.",
            )
            return self._change_page_keeping(request, comment, form)
        try:
            with transaction.atomic():
                self._do_step(request, comment, step, data, form)
        except moderation.Refused as refusal:
            form.add_error(refusal.field, refusal.message)
            return self._change_page_keeping(request, comment, form)
        if step == "private" and not data.get("then_reject"):
            return redirect("admin:comments_comment_change", pk)
        return redirect("admin:comments_comment_changelist")

    def _do_step(self, request, comment, step, data, form):
        by = request.user
        if step == "private":
            moderation.reply_privately(
                comment, by=by, body=data.get("private_reply", ""),
                then_reject=data.get("then_reject", False), reason=data.get("reason"),
            )  # fmt: skip
            self.message_user(request, f"Your answer to {comment.name} is on its way by email.")
            return
        # A page without the box (an older tab, a script) approves the text as it is.
        edited = form.edited_text()
        if step == "approve" and edited:
            moderation.edit_and_approve(comment, by=by, text=edited)
            self.message_user(request, "The comment is approved with your edit.")
        elif step == "reject":
            self._run(request, Comment.objects.filter(pk=comment.pk), step, reason=data["reason"])
        else:
            self._run(request, Comment.objects.filter(pk=comment.pk), step)
        text = data.get("reply", "").strip()
        if text:
            comment.refresh_from_db()
            moderation.reply(comment, by=by, body=text)
            self.message_user(request, f"Your reply to {comment.name} is published.")

    def _change_page_keeping(self, request, comment, form):
        """The comment's change page again, with the errors and what was typed."""
        request.method = "GET"
        request.kept_form = form
        return self.change_view(request, str(comment.pk))

    def get_form(self, request, obj=None, change=False, **kwargs):
        kept = getattr(request, "kept_form", None)
        if kept is None:
            return super().get_form(request, obj, change, **kwargs)

        def bound_again(*args, **kwargs):
            return kept  # the sent form, with its errors and the text typed into it

        return bound_again

    def get_ordering(self, request):
        if request.GET.get(OrderFilter.parameter_name) == OrderFilter.OLDEST:
            return ["-is_urgent", "created_at", "id"]  # as comment_urgent_old_idx holds them
        return super().get_ordering(request)

    def get_list_display(self, request):
        # Showing one status, the status column would only repeat the filter's title.
        if StatusFilter.chosen(request) in Status.values:
            return [name for name in self.list_display if name != "status"]
        return self.list_display

    def changelist_view(self, request, extra_context=None):
        status = StatusFilter.chosen(request)
        titles = {
            Status.PENDING: "Comments waiting for review",
            Status.APPROVED: "Approved comments",
            Status.REJECTED: "Rejected comments",
            Status.SPAM: "Spam",
        }
        title = titles.get(status, "All comments")
        return super().changelist_view(request, {"title": title, **(extra_context or {})})

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        comment = self.get_object(request, object_id) if object_id else None
        guidance, writer_help = [], None
        if comment is not None and (comment.flags or comment.is_urgent):
            guidance = FlagCategory.objects.guidance_for(comment)
            writer_help = help_given(comment)
        extra_context = {
            **(extra_context or {}),
            "can_moderate": self.has_moderate_permission(request),
            "guidance": guidance,
            "writer_help": writer_help,
            "moderation_steps": [
                ("approve", "Approve", Status.APPROVED),
                ("reject", "Reject", Status.REJECTED),
                ("spam", "Mark as spam", Status.SPAM),
            ],
        }
        return super().changeform_view(request, object_id, form_url, extra_context)


def help_given(comment):
    """What its writer was given of the help a flag category holds for them, as recorded: the
    heading they were shown, and the email that carried it, if any. None: nothing shown."""
    shown = comment.events.filter(kind=Event.Kind.HELPED).first()
    if shown is None:
        return None
    email = Email.objects.filter(key=f"comment-received:{comment.pk}").first()
    if email is None:
        sent = "It was not emailed to them: they did not ask for emails."
        if comment.notify_replies:
            sent = "An email with it is about to be written to them."
    elif email.status == Email.Status.SENT:
        when = date_format(timezone.localtime(email.sent_at), "DATETIME_FORMAT")
        sent = f"It was emailed to them, {when}."
    elif email.status == Email.Status.FAILED:
        sent = "The email that carried it could not be delivered."
    else:
        sent = "An email with it is on its way to them."
    return {"heading": shown.note, "at": shown.at, "email": sent}


class ModeratorSettingsForm(forms.ModelForm):
    class Meta:
        model = ModeratorSettings
        fields = ["alerts"]
        widgets = {"alerts": forms.RadioSelect}


def describe(event):
    """One line of a comment's history, for its admin page."""
    when = date_format(timezone.localtime(event.at), "DATETIME_FORMAT")
    via = " (from an email)" if event.via == Event.Via.EMAIL else ""
    line = format_html(
        "<strong>{}</strong> by {}, {}{}", event.get_kind_display(), event.who, when, via
    )
    if event.reason:
        line = format_html("{}. Reason: {}", line, event.reason)
    if event.kind == Event.Kind.EDITED:
        return format_html(
            '{}<div class="comment-history__text">Before: {}</div>'
            '<div class="comment-history__text">After: {}</div>',
            line, event.text_before or "(forgotten after the keeping period)", event.text_after,
        )  # fmt: skip
    if event.note:
        return format_html('{}<div class="comment-history__text">{}</div>', line, event.note)
    return line


@admin.register(SavedReply)
class SavedReplyAdmin(admin.ModelAdmin):
    list_display = ["title", "excerpt"]
    search_fields = ["title", "body"]

    @admin.display(description="Reply")
    def excerpt(self, saved):
        return saved.body[:100]


@admin.register(Reason)
class ReasonAdmin(admin.ModelAdmin):
    list_display = ["title", "is_active", "position"]
    list_editable = ["is_active", "position"]
    search_fields = ["title", "email_text"]


class ScreeningListAdmin(admin.ModelAdmin):
    """A list new comments are screened against: changed through comments/rules.py, so the
    next comment is screened with the change."""

    def save_model(self, request, obj, form, change):
        rules.save(obj)

    def delete_model(self, request, obj):
        rules.delete(type(obj).objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        rules.delete(queryset)


@admin.register(FlagCategory)
class FlagCategoryAdmin(ScreeningListAdmin):
    list_display = ["name", "is_urgent", "is_active", "helps_the_writer"]
    fieldsets = [
        (None, {"fields": ["name", "is_urgent", "is_active", "phrases", "patterns"]}),
        ("For moderators", {"fields": ["guidance"]}),
        (
            "For the writer of a comment it holds",
            {"fields": ["reader_heading", "reader_text", "reader_preview"]},
        ),
    ]
    readonly_fields = ["reader_preview"]

    @admin.display(description="Shows the writer help", boolean=True)
    def helps_the_writer(self, category):
        return bool(category.reader_text.strip())

    @admin.display(description="What the writer sees")
    def reader_preview(self, category):
        """The saved words as the writer sees them, with today's site details."""
        if not category.reader_text.strip():
            return "Nothing: the words above are empty."
        details = SiteDetails.load()
        shown = reader_help.render(category.reader_heading, category.reader_text, details)
        note = ""
        if "{helpline}" in category.reader_text and not details.helpline:
            note = format_html(
                '<p class="help">The site details have no helpline number, so the line that '
                'names it is left out. <a href="{}">Add one in Site details</a>.</p>',
                reverse("admin:pages_sitedetails_changelist"),
            )
        return format_html(
            '<div class="reader-preview"><h3>{}</h3>{}</div>{}',
            shown.heading or "Help for you now", shown.html, note,
        )  # fmt: skip


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """The moderation log: every act on every comment, filtered, searched, exported."""

    list_display = ["at", "kind", "who", "via", "comment_link", "reason"]
    list_filter = ["kind", "via", ("by", admin.RelatedOnlyFieldListFilter), "at"]
    search_fields = ["note", "comment__name", "comment__email", "by__username"]
    date_hierarchy = "at"
    list_select_related = ["by", "reason", "comment"]
    actions = ["export_csv"]
    show_facets = admin.ShowFacets.NEVER

    @admin.display(description="Comment")
    def comment_link(self, event):
        if event.comment is None:
            return f"{event.comment_number} (deleted)"
        return format_html(
            '<a href="{}">{}: {}</a>',
            event.comment.get_admin_url(), event.comment.name, event.comment.excerpt,
        )  # fmt: skip

    @admin.display(description="By", ordering="by__username")
    def who(self, event):
        return event.who

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # a history is kept, not edited

    def changelist_view(self, request, extra_context=None):
        if request.GET.get("export") == "csv":
            if not self.has_view_permission(request):
                raise PermissionDenied
            changelist = self.get_changelist_instance(request)
            return self.export_csv(request, changelist.get_queryset(request))
        return super().changelist_view(request, extra_context)

    def get_changelist_instance(self, request):
        if request.GET.get("export") == "csv":
            request.GET = request.GET.copy()
            del request.GET["export"]
        return super().get_changelist_instance(request)

    @admin.action(description="Export selected events as CSV", permissions=["view"])
    def export_csv(self, request, queryset):
        rows = queryset.select_related("by", "reason").order_by("at", "pk")
        return csv_response(
            "moderation-log.csv",
            ["when", "act", "by", "via", "comment", "reason", "note", "before", "after"],
            (
                [
                    e.at.isoformat(),
                    e.get_kind_display(),
                    e.who,
                    e.get_via_display(),
                    e.comment_number,
                    e.reason or "",
                    e.note,
                    e.text_before,
                    e.text_after,
                ]  # fmt: skip
                for e in rows.iterator()
            ),
        )


@admin.register(BlockedWord)
class BlockedWordAdmin(ScreeningListAdmin):
    list_display = ["phrase", "created_at"]
    search_fields = ["phrase"]
