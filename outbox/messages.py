"""Messages before they are stored: what a composer returns, rendered from templates."""

from dataclasses import dataclass, field

import css_inline
from django.conf import settings
from django.template import TemplateDoesNotExist
from django.template.loader import get_template, render_to_string

_inliner = css_inline.CSSInliner(load_remote_stylesheets=False)


@dataclass
class Message:
    """One email to one address.

    `key` names the message for good: storing a message with a key already stored does
    nothing, so a composer or a mailing run twice sends nothing twice. A message to a
    reader carries `unsubscribe_url`: it becomes the `List-Unsubscribe` header, with
    one-click unsubscribe (RFC 8058).
    """

    key: str
    kind: str
    to: str
    subject: str
    text: str
    html: str = ""
    unsubscribe_url: str = ""
    headers: dict = field(default_factory=dict)

    def all_headers(self):
        return unsubscribe_headers(self.unsubscribe_url) | self.headers


def unsubscribe_headers(url):
    if not url:
        return {}
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def absolute(path):
    """The full address of `path` on this site, for links in emails; an address that is full
    already (an image in a media bucket) as it is."""
    if "://" in path:
        return path
    return settings.SITE_URL.rstrip("/") + path


def one_line(text):
    return " ".join(str(text).split())


def render(name, context):
    """Render `name`.txt and, if it exists, `name`.html (its CSS inlined): (text, html)."""
    context = {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL, **context}
    text = render_to_string(f"{name}.txt", context)
    try:
        template = get_template(f"{name}.html")
    except TemplateDoesNotExist:
        return text, ""
    return text, inline_css(template.render(context))


def inline_css(html):
    """`html` with its <style> rules moved into style attributes, as mail programs need."""
    return _inliner.inline(html)
