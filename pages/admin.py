from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html

from pages import editing
from pages.models import Page, SiteDetails


@admin.register(SiteDetails)
class SiteDetailsAdmin(admin.ModelAdmin):
    """One row: the list opens it, and it is never added twice nor deleted."""

    fieldsets = [
        (None, {"fields": ["name", "registration"]}),
        ("Helpline", {"fields": ["helpline", "helpline_hours"]}),
        ("Writing to us", {"fields": ["email", "address"]}),
        ("Giving", {"fields": ["donate_url"]}),
    ]

    def changelist_view(self, request, extra_context=None):
        details = SiteDetails.load()
        if details._state.adding:
            editing.save_details(details)
        return redirect(reverse("admin:pages_sitedetails_change", args=[details.pk]))

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        editing.save_details(obj)


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ["title", "address", "position", "in_footer", "is_published"]
    list_editable = ["position", "in_footer", "is_published"]
    fields = ["title", "slug", "summary", "body", "position", "in_footer", "is_published"]

    @admin.display(description="Address", ordering="slug")
    def address(self, page):
        url = page.get_absolute_url()
        return format_html('<a href="{}">{}</a>', url, url)

    def save_model(self, request, obj, form, change):
        editing.save_page(obj)

    def delete_model(self, request, obj):
        editing.delete_pages(Page.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        editing.delete_pages(queryset)
