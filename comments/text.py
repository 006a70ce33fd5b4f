"""Readers write plain text: it is escaped, keeps its line breaks, and its addresses link."""

import re

from django import forms
from django.utils.html import linebreaks, urlize

# Matches what a reader would see as a web address, with or without its scheme.
LINK = re.compile(
    r"(https?://|www\.)\S+|\b[\w-]+(\.[\w-]+)*\.(com|org|net|info|io|co|uk|ru|biz)\b/?\S*", re.I
)
REL = 'rel="nofollow ugc noopener"'


def render_comment_body(text):
    """Return the HTML a page shows for `text`: escaped, paragraphs kept, addresses linked."""
    linked = urlize(text, trim_url_limit=60, nofollow=True, autoescape=True)
    # Links in comments are the readers', not ours: search engines should not count them,
    # and the opened page must not reach back into ours.
    linked = linked.replace('rel="nofollow"', REL)
    return linebreaks(linked, autoescape=False)


def count_links(text):
    return len(LINK.findall(text))


class PlainTextField(forms.CharField):
    """A text box whose line breaks count as one character each, as the browser counts them.

    Browsers send each Enter as CRLF, which would make a comment that fits the box's maxlength
    too long for the server.
    """

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n") if value else value
