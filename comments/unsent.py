"""Help for a reader whose comment could not be sent at all: the site paused new comments,
was too busy for a moment, or lost its database. The page that hands their text back shows
the help its words call for, as the page of a held comment would (comments/reader_help.py).

It asks no database: the flag categories and the site details come from the cache. When
the cache does not hold them (a process started while the database was away), the words
cannot be screened, and the page shows the short COMMENTS_CRISIS_FALLBACK instead, to
everyone whose comment it hands back.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.html import format_html

from comments import flags, reader_help, rules
from pages import editing as site_pages


def help_html(text):
    """The help panel's HTML for unsent `text`, or the fallback line, or ""."""
    categories, footer = rules.cached_flag_categories(), site_pages.cached_footer()
    if categories is None or footer is None:
        if not settings.COMMENTS_CRISIS_FALLBACK:
            return ""
        return format_html(
            '<p class="help-now help-now--fallback">{}</p>', settings.COMMENTS_CRISIS_FALLBACK
        )
    matched = flags.matching(text, categories)
    helps = reader_help.for_flags([c.name for c in matched], matched, footer["details"])
    if not helps:
        return ""
    context = {"helps": helps, "key": "unsent", "focus": True}
    return render_to_string("comments/_help_now.html", context)
