from django.contrib import admin
from django.urls import path

from core.models import StaffPreferences
from core.preferences import time_zone_view


@admin.register(StaffPreferences)
class StaffPreferencesAdmin(admin.ModelAdmin):
    """Not listed on the admin's front page: each member of staff has their own page,
    "Your time zone", linked in the user tools at the top of every admin page."""

    list_display = ["user", "time_zone"]

    def get_model_perms(self, request):
        return {}

    def get_urls(self):
        own = self.admin_site.admin_view(lambda request: time_zone_view(request, self.admin_site))
        return [path("time-zone/", own, name="core_time_zone"), *super().get_urls()]
