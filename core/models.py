from django.conf import settings
from django.db import models

from core import when


class StaffPreferences(models.Model):
    """What one member of staff chose for themselves: the time zone the admin works in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="staff_preferences"
    )
    # Checked against the zoneinfo database by the form (core/preferences.py), not by
    # choices here: the list changes with tzdata, and a migration per release helps no one.
    time_zone = models.CharField(max_length=64, default=when.site_zone_name)

    class Meta:
        verbose_name = "staff preferences"
        verbose_name_plural = "staff preferences"

    def __str__(self):
        return f"{self.user}: {self.time_zone}"

    @property
    def zone(self):
        """The chosen zone, or the site's when the name is no longer known."""
        return when.zone_named(self.time_zone) or when.site_zone()
