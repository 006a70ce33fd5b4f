"""Uploaded images: checked, cleaned of metadata, and resized into renditions.

Every image a page shows comes from here: the original is re-encoded without its EXIF
block (which can hold the GPS position where a photo was taken), and each rendition is
written as WebP and JPEG so that pages can offer `srcset` at several widths; and what a
page needs to show them (articles/templatetags/pictures.py is its template tags).
"""

import io
import uuid
import warnings

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from PIL import Image, ImageOps

FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
NOT_AN_IMAGE = "This file is not an image we can use. Please upload a JPEG, PNG, WebP or GIF."


@deconstructible
class RandomName:
    """An upload_to that stores each file under a random name in `folder`.

    The name a person gave the file never reaches the disk or a URL.
    """

    def __init__(self, folder):
        self.folder = folder

    def __call__(self, instance, filename):
        extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
        if extension not in FORMATS.values():
            extension = "jpg"
        return f"{self.folder}/{uuid.uuid4().hex}.{extension}"

    def __eq__(self, other):
        return isinstance(other, RandomName) and other.folder == self.folder


def open_checked(file):
    """Return the opened Pillow image in `file`, or raise a ValidationError saying why not."""
    size = getattr(file, "size", None)
    limit = settings.IMAGE_UPLOAD_MAX_BYTES
    if size is not None and size > limit:
        raise ValidationError(
            f"This file is {filesizeformat(size)}; images can be at most {filesizeformat(limit)}. "
            "Please resize it and upload it again.",
            code="too_big",
        )
    file.seek(0)
    try:
        with warnings.catch_warnings():
            # A decompression bomb is a small file that unpacks to a vast image.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(file)
            pixels = image.width * image.height
            if pixels > settings.IMAGE_MAX_PIXELS:
                raise ValidationError(
                    f"This image is {image.width} × {image.height} pixels; the limit is "
                    f"{settings.IMAGE_MAX_PIXELS // 1_000_000} megapixels. Please resize it.",
                    code="too_many_pixels",
                )
            image.verify()
            file.seek(0)
            image = Image.open(file)
            image.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            "This image is far too large once unpacked and cannot be used.", code="bomb"
        ) from None
    except Exception:
        raise ValidationError(NOT_AN_IMAGE, code="invalid_image") from None
    if image.format not in FORMATS:
        raise ValidationError(NOT_AN_IMAGE, code="invalid_image")
    file.seek(0)
    return image


def clean_original(image):
    """Return the image re-encoded without metadata, as a ContentFile named by its format."""
    image_format = image.format
    upright = ImageOps.exif_transpose(image)
    if image_format == "JPEG" and upright.mode not in ("RGB", "L"):
        upright = upright.convert("RGB")
    buffer = io.BytesIO()
    options = {"quality": 88, "optimize": True} if image_format in ("JPEG", "WEBP") else {}
    # Saving without `exif=` drops the whole EXIF block, GPS position included.
    upright.save(buffer, format=image_format, **options)
    return ContentFile(buffer.getvalue(), name=f"upload.{FORMATS[image_format]}")


def make_renditions(image, folder="renditions"):
    """Write WebP and JPEG copies of `image` at the configured widths; return their metadata.

    The result is stored on the model as JSON so that pages need no file access:
    {"width": 1600, "height": 900, "webp": [[480, "renditions/..webp"], ...], "jpeg": [...]}
    """
    upright = ImageOps.exif_transpose(image)
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
    upright = upright.convert("RGBA" if has_alpha else "RGB")
    width, height = upright.size
    widths = [w for w in settings.IMAGE_RENDITION_WIDTHS if w < width] + [
        min(width, max(settings.IMAGE_RENDITION_WIDTHS))
    ]
    stem = uuid.uuid4().hex
    result = {"width": width, "height": height, "webp": [], "jpeg": []}
    for target in sorted(set(widths)):
        resized = upright
        if target < width:
            # At least one pixel high: a very wide strip (3000 × 1) would round to none.
            high = max(1, round(height * target / width))
            resized = upright.resize((target, high), Image.LANCZOS)
        for kind, pil_format, options in (
            ("webp", "WEBP", {"quality": 80, "method": 4}),
            ("jpeg", "JPEG", {"quality": 82, "optimize": True, "progressive": True}),
        ):
            frame = resized
            if pil_format == "JPEG" and frame.mode != "RGB":
                background = Image.new("RGB", frame.size, (255, 255, 255))
                background.paste(frame, mask=frame.getchannel("A"))
                frame = background
            buffer = io.BytesIO()
            frame.save(buffer, format=pil_format, **options)
            extension = "webp" if kind == "webp" else "jpg"
            name = default_storage.save(
                f"{folder}/{stem[:2]}/{stem}-{target}.{extension}", ContentFile(buffer.getvalue())
            )
            result[kind].append([target, name])
    return result


def delete_renditions(renditions):
    for kind in ("webp", "jpeg"):
        for _width, name in (renditions or {}).get(kind, []):
            default_storage.delete(name)


class CheckedImageFormField(forms.ImageField):
    """An image upload that says clearly why a file was refused."""

    default_error_messages = {"invalid_image": NOT_AN_IMAGE}

    def to_python(self, data):
        file = forms.FileField.to_python(self, data)
        if file is None:
            return None
        image = open_checked(file)
        file.image = image
        file.content_type = Image.MIME.get(image.format)
        return file

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs["accept"] = "image/jpeg,image/png,image/webp,image/gif"
        return attrs


class CheckedImageField(models.ImageField):
    """An ImageField whose form field checks size, pixel count and format."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": CheckedImageFormField, **kwargs})


def process_upload(field_file):
    """Clean a just-uploaded image in place and return its rendition metadata.

    `field_file` is a model's FieldFile whose content has not been stored yet. The stored
    original loses its EXIF data; renditions are written at once.
    """
    image = open_checked(field_file.file)
    cleaned = clean_original(image)
    field_file.file = cleaned
    field_file.name = cleaned.name
    return make_renditions(image)


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


def rendition_url(image, width):
    """Return the URL of the JPEG rendition of `image` closest to `width`, for meta tags."""
    jpegs = (image.renditions or {}).get("jpeg") or []
    if not jpegs:
        return image.url
    name = min(jpegs, key=lambda rendition: abs(rendition[0] - width))[1]
    return default_storage.url(name)
