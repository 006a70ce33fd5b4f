import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from articles.models import Article
from comments import moderation
from comments.models import BlockedWord, Comment, SavedReply

Status = Comment.Status
MODERATION_STEPS = {
    "approve": (moderation.approve, "approved"),
    "reject": (moderation.reject, "rejected"),
    "spam": (moderation.mark_spam, "marked as spam"),
}


class StatusFilter(admin.SimpleListFilter):
    """The queue opens on the comments waiting for review."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [*Status.choices, ("all", "All")]

    def queryset(self, request, queryset):
        value = self.value() or Status.PENDING
        return queryset if value == "all" else queryset.filter(status=value)

    def choices(self, changelist):
        current = self.value() or Status.PENDING
        for lookup, title in self.lookup_choices:
            yield {
                "selected": current == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


class ArticleFilter(admin.SimpleListFilter):
    """Articles with recent comments; the whole archive would make the sidebar endless."""

    title = "article"
    parameter_name = "article"

    def lookups(self, request, model_admin):
        recent = Comment.objects.order_by("-created_at").values_list("article_id", flat=True)
        ids = list(dict.fromkeys(recent[:500]))[:25]
        titles = dict(Article.objects.filter(pk__in=ids).values_list("pk", "title"))
        selected = self.value()
        if selected and selected.isdigit() and int(selected) not in titles:
            titles.update(Article.objects.filter(pk=selected).values_list("pk", "title"))
            ids.append(int(selected))
        return [(str(pk), titles[pk]) for pk in ids if pk in titles]

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.filter(article_id=value) if value and value.isdigit() else queryset


class StaffReplyFilter(admin.SimpleListFilter):
    title = "staff reply"
    parameter_name = "staff"

    def lookups(self, request, model_admin):
        return [
            ("answered", "Answered by staff"),
            ("unanswered", "Not answered by staff"),
            ("reply", "Is a staff reply"),
        ]

    def queryset(self, request, queryset):
        answered = Comment.objects.filter(is_staff_reply=True).values("parent_id")
        if self.value() == "answered":
            return queryset.filter(pk__in=answered)
        if self.value() == "unanswered":
            return queryset.filter(is_staff_reply=False).exclude(pk__in=answered)
        if self.value() == "reply":
            return queryset.filter(is_staff_reply=True)
        return queryset


class CommentAdminForm(forms.ModelForm):
    reply = forms.CharField(
        label="Your reply",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6, "cols": 80}),
        help_text="Posted at once under this comment, with a Staff badge and your name. "
        "If the comment is waiting for review, replying approves it.",
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
        who = comment.moderated_by.get_full_name() if comment.moderated_by else "someone"
        return f"{comment.get_status_display()} by {who or comment.moderated_by} on " + (
            comment.moderated_at.strftime("%B %-d, %Y at %H:%M")
        )

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
        if text:
            if not self.has_moderate_permission(request):
                raise PermissionDenied
            moderation.reply(obj, by=request.user, body=text)
            self.message_user(request, f"Your reply to {obj.name} is published.")

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
        name = "comments_comment_moderate"
        return [path("<int:pk>/moderate/", moderate, name=name), *super().get_urls()]

    def moderate_view(self, request, pk):
        """The Approve, Reject and Spam buttons of a comment's change page."""
        if not self.has_moderate_permission(request):
            raise PermissionDenied
        step = request.POST.get("step")
        if step not in MODERATION_STEPS:
            messages.error(request, "Choose Approve, Reject or Mark as spam.")
            return redirect("admin:comments_comment_change", pk)
        comment = get_object_or_404(Comment, pk=pk)
        self._run(request, Comment.objects.filter(pk=comment.pk), step)
        return redirect("admin:comments_comment_changelist")

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
