"""Times on pages, with the zone they are in named: "December 1, 2026 at 2:05 pm, New York time"."""

from django import template
from django.utils import dateformat, timezone
from django.utils.html import format_html

from core import when

register = template.Library()


@register.filter
def time_in_zone(moment, css_class=""):
    """As time_with_zone, without the zone's name in the words (the page names it once, with
    zone_line); the exact time, zone included, on hover."""
    return time_with_zone(moment, css_class, named=False)


@register.simple_tag
def zone_line():
    """The zone the page's times are in, said once: "Times are New York time."."""
    return f"Times are {when.zone_label(timezone.get_current_timezone())}."


def time_with_zone(moment, css_class="", named=True):
    """`moment` as a <time> element in the current zone, named, the exact time on hover.

    Public pages are always in the site's zone (core.middleware.StaffTimeZoneMiddleware
    changes it in the admin alone), so a cached page shows every reader the same words.
    """
    if not moment:
        return ""
    zone = timezone.get_current_timezone()
    local = timezone.localtime(moment, zone)
    words = dateformat.format(local, "F j, Y \\a\\t g:i a")
    return format_html(
        '<time{} datetime="{}" title="{}">{}</time>',
        format_html(' class="{}"', css_class) if css_class else "",
        local.isoformat(timespec="seconds"),
        when.exact(moment, zone),
        f"{words}, {when.zone_label(zone)}" if named else words,
    )


register.filter("time_with_zone", time_with_zone)
