"""The allowlist for article bodies: what the rich-text editor may put on a public page.

Whatever reaches the server is cleaned here, whether it came from the editor, from a
pasted document or from a hand-made POST: no script, no on* attribute, no javascript: or
data: URL, and no image from another site (pages make no outside requests).
"""

import re

import nh3
from django.conf import settings

from core.text import is_number

TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "em", "s", "a", "ul", "ol", "li",
    "blockquote", "hr", "figure", "figcaption", "img",
}  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "data-file"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}
# Headings keep the article's outline under its <h1> title: h1 becomes h2, h5 and h6 h4.
HEADING_LEVELS = [(re.compile(r"<(/?)h1\b"), r"<\1h2"), (re.compile(r"<(/?)h[56]\b"), r"<\1h4")]


def _keep_attribute(tag, name, value):
    if tag == "img" and name == "src":
        # Only images from our own library: an outside image would be an outside request
        # from every reader's browser.
        return value if value.startswith(settings.MEDIA_URL) and ".." not in value else None
    if tag == "img" and name == "data-file":
        return value if is_number(value) else None
    if tag == "ol" and name == "start":
        return value if is_number(value) else None
    return value


_cleaner = nh3.Cleaner(
    tags=TAGS,
    attributes=ATTRIBUTES,
    url_schemes=URL_SCHEMES,
    link_rel="noopener noreferrer",
    attribute_filter=_keep_attribute,
    strip_comments=True,
)


def sanitize_body(html):
    """Return `html` reduced to the tags, attributes and URLs an article body may hold."""
    if not html:
        return ""
    for pattern, replacement in HEADING_LEVELS:
        html = pattern.sub(replacement, html)
    cleaned = _cleaner.clean(html).strip()
    # The editor always sends at least one empty paragraph.
    return "" if cleaned in ("<p></p>", "<p><br></p>") else cleaned
