"""Each member of staff's own page for the time zone the admin shows and takes times in."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from core import when
from core.models import StaffPreferences


def zone_choices(now=None):
    """The menu: the common zones first, then every zone, each with its time now."""
    now = now or timezone.now()

    def option(name):
        zone = when.zone_named(name)
        return name, f"{name.replace('_', ' ')}, now {when.clock(timezone.localtime(now, zone))}"

    return [
        ("Common time zones", [option(name) for name in when.common_zone_names()]),
        ("All time zones", [option(name) for name in when.all_zone_names()]),
    ]


class TimeZoneForm(forms.ModelForm):
    class Meta:
        model = StaffPreferences
        fields = ["time_zone"]
        labels = {"time_zone": "Your time zone"}
        help_texts = {
            "time_zone": "The admin shows and takes every time in this zone. Public pages "
            "stay in the site's zone, which readers see."
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].widget = forms.Select(choices=zone_choices())

    def clean_time_zone(self):
        name = self.cleaned_data["time_zone"]
        if when.zone_named(name) is None:
            raise forms.ValidationError("Choose a time zone from the list.")
        return name


def time_zone_view(request, admin_site):
    """Show the staff member's zone with the time it is there now; save a new choice."""
    current = StaffPreferences.objects.filter(user=request.user).first()
    current = current or StaffPreferences(user=request.user)
    form = TimeZoneForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        chosen = form.save()
        messages.success(
            request,
            f"Saved: the admin now shows and takes times in {when.place(chosen.zone)} time.",
        )
        return redirect("admin:core_time_zone")
    zone = current.zone
    context = {
        **admin_site.each_context(request),
        "title": "Your time zone",
        "form": form,
        "zone_label": when.zone_label(zone),
        "zone_name": zone.key,
        "now_there": when.now_in(zone),
        "site_zone_label": when.zone_label(when.site_zone()),
    }
    return TemplateResponse(request, "admin/core/time_zone.html", context)
