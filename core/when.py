"""Moments in words, in a named time zone: "Tuesday 3 December at 09:00, London time".

Staff each work in their own zone (core.models.StaffPreferences); public pages are in the
site's zone (settings.TIME_ZONE). Whatever the zone, a time is shown with its name, as the
city people know it by, so that nobody has to guess which clock it was read from.
"""

import zoneinfo
from functools import cache

from django.conf import settings
from django.utils import dateformat, timezone

# Offered first in the time zone menu: the site's own, then where staff most often are.
COMMON_ZONES = [
    "Europe/London",
    "Europe/Dublin",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Toronto",
    "Europe/Paris",
    "Europe/Berlin",
    "Australia/Sydney",
    "UTC",
]


@cache
def all_zone_names():
    """Every zone the zoneinfo database knows, sorted."""
    return sorted(zoneinfo.available_timezones())


def common_zone_names():
    """The zones offered first: the site's, then COMMON_ZONES, each once."""
    names = [settings.TIME_ZONE, *COMMON_ZONES]
    known = set(all_zone_names())
    return [name for i, name in enumerate(names) if name in known and name not in names[:i]]


def zone_named(name):
    """The ZoneInfo called `name`, or None when there is no such zone."""
    if not name or name not in set(all_zone_names()):
        return None
    return zoneinfo.ZoneInfo(name)


def site_zone_name():
    return settings.TIME_ZONE


def site_zone():
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def is_a_city(zone):
    return "/" in zone.key and not zone.key.startswith("Etc/")


def place(zone):
    """The zone as people name it: "London" for Europe/London, "UTC" for UTC."""
    if not is_a_city(zone):
        return zone.key.removeprefix("Etc/")
    return zone.key.rsplit("/", 1)[-1].replace("_", " ")


def zone_label(zone):
    """The zone's name on a page: "London time"; a zone with no city as it is: "UTC"."""
    return f"{place(zone)} time" if is_a_city(zone) else place(zone)


def clock(moment):
    """The time on the 24-hour clock ("09:00"), which reads the same everywhere."""
    return moment.strftime("%H:%M")


def day_and_time(moment, zone, now):
    """A day and time with its zone: "Tuesday 3 December at 09:00, London time".

    The year is added when it is not this year.
    """
    local = timezone.localtime(moment, zone)
    day = dateformat.format(local, "l j F")
    if local.year != timezone.localtime(now, zone).year:
        day += f" {local.year}"
    return f"{day} at {clock(local)}, {zone_label(zone)}"


def relative(moment, zone, now):
    """How far `moment` is from `now`, as a person says it: "in 2 days", "3 hours ago"."""
    seconds = (moment - now).total_seconds()
    future = seconds > 0
    minutes = int(abs(seconds) // 60)
    if minutes < 1:
        return "in less than a minute" if future else "just now"
    if minutes < 60:
        amount = plural(minutes, "minute")
    else:
        days = (timezone.localdate(moment, zone) - timezone.localdate(now, zone)).days
        hours = minutes // 60
        if days == 0:
            return (
                f"today, in {plural(hours, 'hour')}" if future else f"{plural(hours, 'hour')} ago"
            )
        if days == 1:
            return f"tomorrow, in {plural(hours, 'hour')}"
        if days == -1:
            return f"yesterday, {plural(hours, 'hour')} ago"
        amount = calendar_amount(abs(days))
    return f"in {amount}" if future else f"{amount} ago"


def calendar_amount(days):
    if days < 60:
        return plural(days, "day")
    if days < 730:
        return plural(days // 30, "month")
    return plural(days // 365, "year")


def plural(number, word):
    return f"{number} {word}{'' if number == 1 else 's'}"


def in_words(moment, zone, now):
    """A publish time confirmed in words, in `zone`, as seen at `now`.

    "Publishes on Tuesday 3 December at 09:00, London time; that is in 2 days", or
    "Published on Monday 30 November at 14:00, New York time; that was 3 hours ago".
    """
    when = day_and_time(moment, zone, now)
    if moment > now:
        return f"Publishes on {when}; that is {relative(moment, zone, now)}"
    return f"Published on {when}; that was {relative(moment, zone, now)}"


def now_in(zone, now=None):
    """The time it is now in `zone`: "19:35 on Tuesday 1 December"."""
    local = timezone.localtime(now or timezone.now(), zone)
    return f"{clock(local)} on {dateformat.format(local, 'l j F')}"


def exact(moment, zone):
    """The exact time, for a title attribute: "Tuesday 1 December 2026, 14:05:09 New York
    time (UTC-05:00)"."""
    local = timezone.localtime(moment, zone)
    offset = local.isoformat()[-6:]
    return f"{dateformat.format(local, 'l j F Y, H:i:s')} {zone_label(zone)} (UTC{offset})"
