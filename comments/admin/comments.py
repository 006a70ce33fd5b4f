"""The comment list (the moderation queue) and each comment's page, where a moderator
reads why it was held, replies, edits, answers privately, approves or rejects.

A comment's page reads top down: the comment and why it was held, the reply box, then one
row of actions (Approve, Reject with its reason, …; templates/admin/comments/comment/
_actions.html), all within a desktop's first screen; what fewer comments need comes after.
Every button sends the page to the admin's own change view: the form
(comments/admin/forms.py) checks what was typed, and comments/admin/desk.py does the step.
"""

from functools import partial

from django.contrib import admin
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.timesince import timesince

from comments import moderation, reader_help
from comments.admin import desk
from comments.admin.alerts import alerts_view
from comments.admin.filters import (
    ArticleFilter,
    CappedPaginator,
    FlaggedFilter,
    OrderFilter,
    QuestionsFilter,
    StaffReplyFilter,
    StatusFilter,
)
from comments.admin.forms import CommentAdminForm
from comments.admin.log import describe
from comments.admin.personal_data import personal_data_view
from comments.models import Answer, Comment, Event, FlagCategory
from core.text import display_name
from outbox.models import Email
from pages.models import SiteDetails

Status = Comment.Status
REPLY = "Reply in public"  # the fieldset the row of actions follows
DONE = {Status.APPROVED: "Approved", Status.REJECTED: "Rejected", Status.SPAM: "Marked as spam"}


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
    actions = desk.ACTIONS
    readonly_fields = [
        "writer", "where", "thread", "text", "why_held", "question",
        "notify_replies", "created_at", "moderation_record", "ip_address", "user_agent",
        "original_text", "history",
    ]  # fmt: skip
    # The comment, then the reply box; the row of actions follows it (REPLY, in the page's
    # template), with the reason Reject sends. get_fieldsets adds to the first what this
    # comment has: a question for staff, replies.
    fieldsets = [
        (None, {"fields": ["writer", "where", "text", "why_held"]}),
        (REPLY, {"fields": [("reply", "saved_reply")]}),
        ("Edit before publishing", {"fields": ["public_text", "original_text"]}),
        ("Answer privately", {"fields": ["private_reply", "then_reject"]}),
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

    @admin.display(description="What happened", ordering="moderated_at")
    def outcome(self, comment):
        moment = comment.moderated_at or comment.created_at
        return format_html(
            '<span title="{}">{}</span>',
            date_format(timezone.localtime(moment), "DATETIME_FORMAT"),
            standing(comment),
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

    @admin.display(description="From")
    def writer(self, comment):
        if not comment.email:
            return comment.name
        return format_html(
            '{} · {} <span class="quiet">(the address is never published)</span>',
            comment.name,
            comment.email,
        )

    @admin.display(description="On")
    def where(self, comment):
        article = format_html(
            '<a href="{}">{}</a>', comment.get_absolute_url(), comment.article.title
        )
        if not comment.parent_id:
            return article
        parent = comment.parent
        return format_html(
            '{}, in reply to <a href="{}">{}</a>: “{}”',
            article,
            reverse("admin:comments_comment_change", args=[parent.pk]),
            parent.name,
            parent.excerpt,
        )

    @admin.display(description="Replies")
    def thread(self, comment):
        parts = []
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
        who = display_name(comment.moderated_by) if comment.moderated_by else "someone"
        when = date_format(timezone.localtime(comment.moderated_at), "DATETIME_FORMAT")
        return f"{comment.get_status_display()} by {who}, {when}"

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.fieldsets
        (title, options), *rest = self.fieldsets
        top = list(options["fields"])
        if obj.is_question or obj.answer:
            top.append("question")
        if obj.replies.exists():
            top.append("thread")
        return [(title, {**options, "fields": top}), *rest]

    def has_add_permission(self, request):
        return False  # comments come from readers; staff answer with "Reply"

    def has_moderate_permission(self, request):
        return desk.can_moderate(request)

    # A comment's page: the form checks, the desk acts, the history says what was done.

    def save_model(self, request, obj, form, change):
        desk.take_step(request, obj, form)  # the comment's own fields are read-only here

    def save_related(self, request, form, formsets, change):
        pass  # nothing else is kept from this page

    def construct_change_message(self, request, form, formsets, add=False):
        return desk.what_was_done(form)

    def log_change(self, request, obj, message):
        if message:  # a page sent with nothing typed and no button but Save changed nothing
            super().log_change(request, obj, message)

    def response_change(self, request, obj):
        if desk.goes_back_to_the_queue(request):
            return redirect("admin:comments_comment_changelist")
        return redirect(request.path)

    def delete_model(self, request, obj):
        moderation.delete(Comment.objects.filter(pk=obj.pk), by=request.user)

    def delete_queryset(self, request, queryset):
        moderation.delete(queryset, by=request.user)

    def get_urls(self):
        def page(view, route, name):
            wired = self.admin_site.admin_view(partial(view, admin_site=self.admin_site))
            return path(route, wired, name=name)

        return [
            page(personal_data_view, "personal-data/", "comments_comment_personal_data"),
            page(alerts_view, "my-alerts/", "comments_moderator_settings"),
            *super().get_urls(),
        ]

    def get_ordering(self, request):
        if OrderFilter.chosen(request) == OrderFilter.OLDEST:
            return ["-is_urgent", "created_at", "id"]  # as comment_urgent_old_idx holds them
        return super().get_ordering(request)

    def get_list_display(self, request):
        status = StatusFilter.chosen(request)
        shown = list(self.list_display)
        if status != Status.PENDING:
            # Only comments waiting say how long they have waited; others what became of them.
            shown[shown.index("waited")] = "outcome"
        if status in Status.values:
            # Showing one status, the status column would only repeat the filter's title.
            shown.remove("status")
        return shown

    def get_list_select_related(self, request):
        if StatusFilter.chosen(request) == Status.PENDING:
            return self.list_select_related
        return [*self.list_select_related, "moderated_by"]  # who, in "What happened"

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
            guidance = reader_help.for_staff(
                FlagCategory.objects.guidance_for(comment), SiteDetails.load()
            )
            writer_help = help_given(comment)
        extra_context = {
            **(extra_context or {}),
            "can_moderate": desk.can_moderate(request),
            "guidance": guidance,
            "writer_help": writer_help,
            "moderation_steps": desk.STEPS,
            "actions_after": REPLY,
            "standing": standing_on_its_page(comment) if comment is not None else "",
        }
        return super().changeform_view(request, object_id, form_url, extra_context)


def standing(comment):
    """Where `comment` stands, in a list's few words: how long it has waited, if it waits
    ("Waiting 2 days"); else what became of it ("Approved 3 Dec by Grace L")."""
    if comment.status == Status.PENDING:
        return f"Waiting {waited_for(comment)}"
    return f"{DONE.get(comment.status, comment.get_status_display())} {decided(comment)}"


def standing_on_its_page(comment):
    """The words after "This comment is waiting for review" (or approved…) on its page."""
    if comment.status == Status.PENDING:
        return f"for {waited_for(comment)} so far"
    return decided(comment)


def waited_for(comment):
    since = timesince(comment.created_at, depth=1)
    return "less than a minute" if since.startswith("0\xa0") else since


def decided(comment):
    """When, and by whom, `comment` got its status: "3 Dec by Grace L"; "on arrival, 3 Dec"
    when the site decided as it came (a known writer's, a robot's)."""
    if comment.moderated_at is None:
        return f"on arrival, {day(comment.created_at)}"
    who = display_name(comment.moderated_by) if comment.moderated_by else "someone"
    return f"{day(comment.moderated_at)} by {who}"


def day(moment):
    """A day as the admin's lists write it, in the reader's zone: "3 Dec"; "3 Dec 2024" in
    another year."""
    local = timezone.localtime(moment)
    this_year = local.year == timezone.localtime().year
    return date_format(local, "j M" if this_year else "j M Y")


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
