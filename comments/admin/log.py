"""The moderation log: every act on every comment, filtered, searched, exported as CSV."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

from comments.models import Event
from core.csv_export import csv_response


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

    def get_urls(self):
        export = self.admin_site.admin_view(self.export_view)
        return [path("export/", export, name="comments_event_export"), *super().get_urls()]

    def export_view(self, request):
        """The log as the list shows it (the same filters, search and dates), as CSV."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        changelist = self.get_changelist_instance(request)
        return self.export_csv(request, changelist.get_queryset(request))

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
