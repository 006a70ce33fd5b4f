import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
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
from django.views.decorators.http import require_POST

from comments import moderation, privacy
from comments.admin_filters import ArticleFilter, CappedPaginator, StaffReplyFilter, StatusFilter
from comments.models import BlockedWord, Comment, SavedReply
from comments.text import PlainTextField

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
        help_text="Picking one fills the box, where you can adjust it before saving.",
    )

    class Meta:
        model = Comment
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bodies = {str(saved.pk): saved.body for saved in self.fields["saved_reply"].queryset}
        self.fields["saved_reply"].widget.attrs["data-saved-replies"] = json.dumps(bodies)

    def clean(self):
        cleaned = super().clean()
        # Without JavaScript, choosing a saved reply and saving posts that reply as it is.
        if not cleaned.get("reply", "").strip() and cleaned.get("saved_reply"):
            cleaned["reply"] = cleaned["saved_reply"].body
        problem = moderation.reply_problem(self.instance)
        if cleaned.get("reply", "").strip() and problem:
            self.add_error("reply", problem)
        return cleaned


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    form = CommentAdminForm
    list_display = ["excerpt", "why_held", "article_link", "name", "created_at", "status"]
    list_display_links = ["excerpt"]
    list_filter = [StatusFilter, ArticleFilter, StaffReplyFilter]
    search_fields = ["name", "email", "body"]
    list_select_related = ["article"]
    list_per_page = 50
    paginator = CappedPaginator
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER  # counting every filter choice is slow on a big queue
    ordering = ["-created_at"]
    actions = ["approve_selected", "reject_selected", "mark_spam_selected"]
    readonly_fields = [
        "article_link", "thread", "name", "email", "text", "status", "why_held",
        "notify_replies", "created_at", "moderation_record", "ip_address", "user_agent",
    ]  # fmt: skip
    fieldsets = [
        (None, {"fields": ["article_link", "thread", "name", "email", "text", "status"]}),
        ("Why it was held", {"fields": ["why_held"]}),
        ("Reply from the staff", {"fields": ["saved_reply", "reply"]}),
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
        return comment.excerpt

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

    def _run(self, request, queryset, step):
        do, done = MODERATION_STEPS[step]
        count = do(queryset, by=request.user)
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

    def save_model(self, request, obj, form, change):
        # The comment itself is read-only here; saving only posts the reply, if any.
        text = form.cleaned_data.get("reply", "").strip()
        obj.staff_reply = None
        if text:
            if not self.has_moderate_permission(request):
                raise PermissionDenied
            obj.staff_reply = moderation.reply(obj, by=request.user, body=text)

    def log_change(self, request, obj, message):
        if obj.staff_reply is not None:
            super().log_change(request, obj, f"Replied: {obj.staff_reply.excerpt}")

    def response_change(self, request, obj):
        if obj.staff_reply is not None:
            self.message_user(request, f"Your reply to {obj.name} is published.", messages.SUCCESS)
        else:
            self.message_user(
                request,
                "Nothing was changed: type a reply, or use Approve, Reject or Mark as spam.",
                messages.INFO,
            )
        if "_continue" in request.POST or obj.staff_reply is None:
            return redirect(request.path)
        return redirect("admin:comments_comment_changelist")

    def save_related(self, request, form, formsets, change):
        pass

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        moderation.refresh_counts([obj.article_id])

    def delete_queryset(self, request, queryset):
        article_ids = set(queryset.values_list("article_id", flat=True))
        super().delete_queryset(request, queryset)
        moderation.refresh_counts(article_ids)

    def get_urls(self):
        moderate = self.admin_site.admin_view(require_POST(self.moderate_view))
        personal = self.admin_site.admin_view(self.personal_data_view)
        return [
            path("<int:pk>/moderate/", moderate, name="comments_comment_moderate"),
            path("personal-data/", personal, name="comments_comment_personal_data"),
            *super().get_urls(),
        ]

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
        """The Approve, Reject and Spam buttons of a comment's change page.

        They send the whole page, reply box included: a typed reply is posted with an
        approval, and stops a rejection (it stays in the box) rather than being lost.
        """
        if not self.has_moderate_permission(request):
            raise PermissionDenied
        step = request.POST.get("step")
        comment = get_object_or_404(Comment, pk=pk)
        text = PlainTextField(required=False).clean(request.POST.get("reply", "")).strip()
        if step not in MODERATION_STEPS:
            messages.error(request, "Choose Approve, Reject or Mark as spam.")
            return redirect("admin:comments_comment_change", pk)
        if text and step != "approve":
            messages.error(
                request,
                "You have typed a reply. Post it with Save or Approve, or empty the box, "
                "before rejecting or marking this comment as spam.",
            )
            return self._change_page_keeping(request, comment, text)
        self._run(request, Comment.objects.filter(pk=comment.pk), step)
        if text:
            comment.refresh_from_db()
            moderation.reply(comment, by=request.user, body=text)
            self.message_user(request, f"Your reply to {comment.name} is published.")
        return redirect("admin:comments_comment_changelist")

    def _change_page_keeping(self, request, comment, text):
        """The comment's change page again, with `text` back in the reply box."""
        request.method = "GET"
        request.kept_reply = text
        return self.change_view(request, str(comment.pk))

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if getattr(request, "kept_reply", None):
            form.base_fields["reply"].initial = request.kept_reply
        return form

    def get_list_display(self, request):
        # Showing one status, the status column would only repeat the filter's title.
        if request.GET.get("status", Status.PENDING) in Status.values:
            return [name for name in self.list_display if name != "status"]
        return self.list_display

    def changelist_view(self, request, extra_context=None):
        status = request.GET.get("status") or Status.PENDING
        titles = {
            Status.PENDING: "Comments waiting for review",
            Status.APPROVED: "Approved comments",
            Status.REJECTED: "Rejected comments",
            Status.SPAM: "Spam",
        }
        title = titles.get(status, "All comments")
        return super().changelist_view(request, {"title": title, **(extra_context or {})})

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_moderate": self.has_moderate_permission(request),
            "moderation_steps": [
                ("approve", "Approve", Status.APPROVED),
                ("reject", "Reject", Status.REJECTED),
                ("spam", "Mark as spam", Status.SPAM),
            ],
        }
        return super().changeform_view(request, object_id, form_url, extra_context)


@admin.register(SavedReply)
class SavedReplyAdmin(admin.ModelAdmin):
    list_display = ["title", "excerpt"]
    search_fields = ["title", "body"]

    @admin.display(description="Reply")
    def excerpt(self, saved):
        return saved.body[:100]


@admin.register(BlockedWord)
class BlockedWordAdmin(admin.ModelAdmin):
    list_display = ["phrase", "created_at"]
    search_fields = ["phrase"]
