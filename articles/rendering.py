"""Turn a sanitized article body into the HTML pages show.

Images placed from the library get responsive renditions, their size (so nothing shifts
while the page loads) and lazy loading, since body images sit below the fold.
"""

import html as html_entities
import re

from django.template.loader import render_to_string

from articles.templatetags.pictures import picture_context
from articles.text import is_number

IMG_TAG = re.compile(r"<img\b([^>]*)>")
ATTRIBUTE = re.compile(r'([a-z-]+)="([^"]*)"')
BODY_IMAGE_SIZES = "(min-width: 48rem) 44rem, 100vw"


def render_body(html):
    """Return `html` with each library image replaced by a sized, lazy <picture>."""
    from articles.models import Image

    tags = [(match, dict(ATTRIBUTE.findall(match.group(1)))) for match in IMG_TAG.finditer(html)]
    if not tags:
        return html
    ids = {int(attrs["data-file"]) for _, attrs in tags if is_number(attrs.get("data-file", ""))}
    library = {image.pk: image for image in Image.objects.filter(pk__in=ids)} if ids else {}
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
