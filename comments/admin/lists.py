"""The lists staff keep for the moderation desk: saved replies, reasons for not publishing,
and the lists new comments are screened against (flag categories and blocked words)."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from comments import reader_help, rules
from comments.models import BlockedWord, FlagCategory, Reason, SavedReply
from pages.models import SiteDetails


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


@admin.register(BlockedWord)
class BlockedWordAdmin(ScreeningListAdmin):
    list_display = ["phrase", "created_at"]
    search_fields = ["phrase"]
