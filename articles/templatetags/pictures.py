"""{% picture image %} and {% picture_src image width %}: articles/images.py, in templates."""

from django import template

from articles import images

register = template.Library()


@register.inclusion_tag("articles/_picture.html")
def picture(image, sizes="100vw", loading="lazy", css_class=""):
    """Render `image` as a responsive <picture> with its width and height set."""
    return images.picture_context(image, sizes=sizes, loading=loading, css_class=css_class)


@register.simple_tag
def picture_src(image, width):
    """The URL of the JPEG rendition of `image` closest to `width`, for meta tags."""
    return images.rendition_url(image, width)
