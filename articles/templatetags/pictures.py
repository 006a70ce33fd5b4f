from django import template
from django.core.files.storage import default_storage

register = template.Library()


def picture_context(image, *, sizes, loading="lazy", alt=None, css_class=""):
    """Return what articles/_picture.html needs to show `image` at every width."""
    renditions = image.renditions or {}

    def srcset(kind):
        return ", ".join(f"{default_storage.url(name)} {w}w" for w, name in renditions[kind])

    jpegs = renditions.get("jpeg") or []
    # The fallback src is the first rendition at least 800 pixels wide, or the largest.
    largest = jpegs[-1][1] if jpegs else None
    fallback = next((name for width, name in jpegs if width >= 800), largest)
    return {
        "image": image,
        "alt": image.alt_text if alt is None else alt,
        "sizes": sizes,
        "loading": loading,
        "css_class": css_class,
        "webp_srcset": srcset("webp") if jpegs else "",
        "jpeg_srcset": srcset("jpeg") if jpegs else "",
        "src": default_storage.url(fallback) if fallback else image.url,
    }


@register.inclusion_tag("articles/_picture.html")
def picture(image, sizes="100vw", loading="lazy", css_class=""):
    """Render `image` as a responsive <picture> with its width and height set."""
    return picture_context(image, sizes=sizes, loading=loading, css_class=css_class)


@register.simple_tag
def picture_src(image, width):
    """Return the URL of the JPEG rendition of `image` closest to `width`, for meta tags."""
    jpegs = (image.renditions or {}).get("jpeg") or []
    if not jpegs:
        return image.url
    name = min(jpegs, key=lambda rendition: abs(rendition[0] - width))[1]
    return default_storage.url(name)
