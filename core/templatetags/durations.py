from django import template

register = template.Library()


@register.filter
def in_words(duration):
    """30 minutes, 1 hour, 2 hours: a timedelta as a person would say it."""
    minutes = int(duration.total_seconds() // 60) if duration else 0
    if minutes % 60 == 0 and minutes >= 60:
        hours = minutes // 60
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{minutes} minute{'s' if minutes != 1 else ''}"
