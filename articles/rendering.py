"""Turn a sanitized article body into the HTML pages show.

Images placed from the library get responsive renditions, their size (so nothing shifts
while the page loads) and lazy loading, since body images sit below the fold.
"""

import html as html_entities
import math
import re

from django.template.loader import render_to_string
from django.utils.html import strip_tags

from articles.images import picture_context
from core.text import is_number

IMG_TAG = re.compile(r"<img\b([^>]*)>")
ATTRIBUTE = re.compile(r'([a-z-]+)="([^"]*)"')
BODY_IMAGE_SIZES = "(min-width: 48rem) 44rem, 100vw"
WORDS_PER_MINUTE = 220


def _image_tags(html):
    return [(match, dict(ATTRIBUTE.findall(match.group(1)))) for match in IMG_TAG.finditer(html)]


def library_ids(html):
    """The ids of the library images that `html` places (its figures' data-file)."""
    return {int(a["data-file"]) for _, a in _image_tags(html) if is_number(a.get("data-file", ""))}


def render_body(html, library):
    """Return `html` with each image of `library` ({id: Image}) as a sized, lazy <picture>."""
    tags = _image_tags(html)
    if not tags:
        return html
    pieces, end = [], 0
    for match, attrs in tags:
        pieces.append(html[end : match.start()])
        file_id = attrs.get("data-file", "")
        image = library.get(int(file_id)) if is_number(file_id) else None
        if image is not None and image.renditions:
            alt = html_entities.unescape(attrs.get("alt", "")) or image.alt_text
            context = picture_context(image, sizes=BODY_IMAGE_SIZES, alt=alt)
            pieces.append(render_to_string("articles/_picture.html", context).strip())
        else:
            pieces.append(f'<img{match.group(1)} loading="lazy" decoding="async">')
        end = match.end()
    pieces.append(html[end:])
    return "".join(pieces)


def plain_text(html):
    """The words of `html`, for search and reading time."""
    return strip_tags(html.replace("><", "> <"))


def reading_minutes(text):
    return max(1, math.ceil(len(text.split()) / WORDS_PER_MINUTE))
