import re

from django.contrib import admin, messages
from django.db.models import Count
from django.utils.html import format_html

from outbox import queue
from outbox.models import Email


@admin.register(Email)
class EmailAdmin(admin.ModelAdmin):
    """Every email the site sent or will send: what, to whom, and what became of it."""

    list_display = ["subject_line", "to", "kind", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "kind"]
    list_select_related = ["content"]
    search_fields = ["to", "content__subject", "batch"]
    date_hierarchy = "created_at"
    show_facets = admin.ShowFacets.NEVER
    list_per_page = 50
    actions = ["retry_selected"]
    fields = [
        "to", "subject_line", "kind", "batch", "status", "attempts", "next_attempt_at",
        "last_error", "created_at", "sent_at", "text",
    ]  # fmt: skip
    readonly_fields = fields

    @admin.display(description="Subject", ordering="content__subject")
    def subject_line(self, email):
        return email.subject

    @admin.display(description="Message")
    def text(self, email):
        return format_html(
            '<pre class="email-text">{}</pre>', hide_links(email.fill(email.content.text))
        )

    def has_add_permission(self, request):
        return False  # the site writes emails; staff do not

    def has_change_permission(self, request, obj=None):
        # Retrying needs it; an email itself is never edited (its page is read-only).
        return obj is None and super().has_change_permission(request)

    @admin.action(description="Send selected emails again now", permissions=["change"])
    def retry_selected(self, request, queryset):
        count = queue.retry_now(queryset)
        self.message_user(request, f"{count} email(s) queued to be sent again.", messages.SUCCESS)

    def changelist_view(self, request, extra_context=None):
        counts = dict(Email.objects.order_by().values_list("status").annotate(total=Count("pk")))
        summary = [(label, counts.get(value, 0), value) for value, label in Email.Status.choices]
        return super().changelist_view(request, {"status_counts": summary, **(extra_context or {})})


# A signed link in an email acts for the person it was sent to (a moderator's Approve link,
# a reader's unsubscribe or confirm link): staff reading the outbox see where it goes, never
# the token that would let them use it.
SIGNED_LINK = re.compile(
    r"(https?://\S+?/(?:comments/moderate|comments/unsubscribe|subscribe/\w+))/[^\s/]+/"
)


def hide_links(text):
    return SIGNED_LINK.sub(r"\1/(link hidden)/", text)
